//! `secrets` of a user job as written: a list of names. The word
//! `inherit` (which would hand every secret to whatever runs) is refused
//! where it is written.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde_spanned::Spanned;

use crate::profile::EnvName;

/// Read a list of secret names, refusing `"inherit"` with its own message.
pub(super) fn names<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<Spanned<EnvName>>, D::Error> {
    deserializer.deserialize_any(Names)
}

struct Names;

impl<'de> Visitor<'de> for Names {
    type Value = Vec<Spanned<EnvName>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of secret names")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        let message = if value == "inherit" {
            "`secrets = \"inherit\"` hands every secret of the repository to what the job runs; \
             wfgen passes secrets by name only: write `secrets = [\"NAME\"]`"
                .to_owned()
        } else {
            format!(
                "expected a list of secret names, found the string `{value}`: write `secrets = [\"NAME\"]`"
            )
        };
        Err(E::custom(message))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut names = Vec::new();
        while let Some(name) = seq.next_element()? {
            names.push(name);
        }
        Ok(names)
    }
}
