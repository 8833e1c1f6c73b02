//! Validated scalar types of the profile. Each one checks its value while
//! it is deserialized, so a bad value is reported by the TOML layer at the
//! exact line and column, and describes itself in the JSON Schema.
//!
//! The check runs inside the deserializer (in a [`Visitor`]): that is what
//! puts the error on the value itself even inside an array, and what lets
//! a value of the wrong type say what was expected.

use std::fmt;

use serde::de::{self, Visitor};

/// Deserializes a string and checks it.
pub(crate) struct CheckedStr<T> {
    /// What a valid value is, for a value of the wrong type.
    pub(crate) expecting: &'static str,
    pub(crate) check: fn(String) -> Result<T, String>,
}

impl<T> Visitor<'_> for CheckedStr<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        (self.check)(value.to_owned()).map_err(E::custom)
    }
}

/// Deserializes a whole number and checks it.
pub(crate) struct CheckedInt<T> {
    /// What a valid value is, for a value of the wrong type.
    pub(crate) expecting: &'static str,
    pub(crate) check: fn(i128) -> Result<T, String>,
}

impl<T> Visitor<'_> for CheckedInt<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
        (self.check)(value.into()).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
        (self.check)(value.into()).map_err(E::custom)
    }

    fn visit_i128<E: de::Error>(self, value: i128) -> Result<T, E> {
        (self.check)(value).map_err(E::custom)
    }
}

/// Declares a string newtype whose value is checked on deserialization.
macro_rules! checked_string {
    ($(#[$doc:meta])* $name:ident, expecting = $expecting:expr, pattern = $pattern:expr, check = $check:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Check and wrap a value (for defaults and tests).
            pub fn new(value: impl Into<String>) -> Result<Self, String> {
                let value = value.into();
                let check: fn(&str) -> Result<(), String> = $check;
                check(&value)?;
                Ok(Self(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::profile::types::CheckedStr {
                    expecting: $expecting,
                    check: Self::new,
                })
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "string", "pattern": $pattern })
            }
        }
    };
}

/// Other profile modules declare their own checked strings.
pub(crate) use checked_string;

/// Declares a whole-number newtype whose value is checked against a range
/// on deserialization.
macro_rules! checked_int {
    ($(#[$doc:meta])* $name:ident($ty:ty), range = $min:literal..=$max:literal, expecting = $expecting:expr, error = $error:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, ::serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub $ty);

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_i64($crate::profile::types::CheckedInt {
                    expecting: $expecting,
                    check: |value| {
                        let error: fn(i128) -> String = $error;
                        <$ty>::try_from(value)
                            .ok()
                            .filter(|v| ($min..=$max).contains(v))
                            .map($name)
                            .ok_or_else(|| error(value))
                    },
                })
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!({ "type": "integer", "minimum": $min, "maximum": $max })
            }
        }
    };
}

/// Other profile modules declare their own checked numbers.
pub(crate) use checked_int;

// NOTE: declared after the macros so they are in scope there.
mod text;

pub(crate) use text::ContainerEnvName;
pub use text::in_folder;
pub(crate) use text::single_line;
pub(crate) use text::with_suggestion;
pub use text::{
    Command, CommandLine, CommitSha, EnvName, FileName, Ident, ImageRef, Minutes, Name, Percent,
    PythonVersion, ReadyTimeout, RefPattern, RelPath, Value,
};

/// A list with at least one item (an empty list would silently mean
/// something else, such as "every branch").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct NonEmpty<T>(Vec<T>);

impl<T> NonEmpty<T> {
    /// Wrap a list that has at least one item.
    pub fn new(items: Vec<T>) -> Option<Self> {
        (!items.is_empty()).then_some(Self(items))
    }
}

impl<T> std::ops::Deref for NonEmpty<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for NonEmpty<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<T>::deserialize(deserializer)?;
        Self::new(items).ok_or_else(|| {
            de::Error::custom("this list must not be empty: name at least one item, or leave the key out for its default")
        })
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for NonEmpty<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("NonEmpty_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let items = generator.subschema_for::<T>();
        schemars::json_schema!({ "type": "array", "items": items, "minItems": 1 })
    }
}
