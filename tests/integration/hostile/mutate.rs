//! Mutations of a profile's TOML, as proptest strategies: hostile values
//! put into string leaves (array elements and map values included), keys
//! renamed, keys dropped, tables copied under a new key, values of another
//! type, and entries added to the free-form maps (`env`, `build-args`).

use proptest::prelude::*;
use proptest::sample::{Index, select};
use toml::{Table, Value};

/// In every hostile expression: output that holds it inside `${{ }}`
/// took the expression from the profile.
pub const MARKER: &str = "WFGENPWN";

/// Hostile strings: expressions, words YAML 1.1 reads as something else,
/// quotes, line breaks and other control characters, shell and option
/// syntax, YAML syntax, paths, odd Unicode.
const HOSTILE: &[&str] = &[
    "${{ secrets.WFGENPWN }}",
    "${{ toJSON(secrets) }}",
    "a${{ github.token }}b",
    "${{",
    "{{ secrets.WFGENPWN }}",
    "$",
    "yes",
    "No",
    "ON",
    "off",
    "y",
    "N",
    "true",
    "False",
    "~",
    "null",
    "NULL",
    "0",
    "010",
    "0x1F",
    "0o17",
    "1e3",
    "1.0",
    "-1",
    ".inf",
    "-.Inf",
    ".nan",
    "1_000",
    "12:30:00",
    "2001-12-14",
    "2001-12-14t21:59:43.10-05:00",
    "<<",
    "=",
    "'",
    "\"",
    "'\"",
    "\\",
    "\n",
    "a\nb",
    "\r",
    "a\r\nb",
    "\t",
    "\u{0}",
    "a\u{0}b",
    "\u{1}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{feff}",
    "\u{200b}",
    "-",
    "-rf",
    "--",
    "--help",
    "; touch /tmp/WFGENPWN #",
    "$(touch /tmp/WFGENPWN)",
    "`touch /tmp/WFGENPWN`",
    "$HOME",
    "${HOME}",
    "|",
    "&",
    "&anchor",
    "*alias",
    "!!str",
    "%TAG",
    "@",
    "#",
    " # comment",
    ": ",
    "key: value",
    "- item",
    "[a]",
    "{a: b}",
    "?",
    ">",
    "*",
    "**",
    "../..",
    "/etc/passwd",
    ".git/hooks/x",
    ".github/workflows/x.yml",
    "",
    " ",
    "é",
    "日本語",
    "🚀",
    "ℌ",
];

/// A hostile string: one of `HOSTILE`, two of them, a very long one, or
/// random characters.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => select(HOSTILE).prop_map(str::to_owned),
        2 => (select(HOSTILE), select(HOSTILE)).prop_map(|(a, b)| format!("{a}{b}")),
        1 => (1usize..3).prop_map(|n| "a".repeat(n * 4000)),
        2 => proptest::collection::vec(any::<char>(), 0..6).prop_map(String::from_iter),
    ]
}

/// Where a hostile string goes in the value it replaces.
#[derive(Debug, Clone, Copy)]
pub enum Placement {
    /// Instead of it.
    Whole,
    /// After it: `main` becomes `main<hostile>`.
    After,
    /// Before it.
    Before,
}

/// A key for a new map entry: mostly a valid environment variable name,
/// so that the value is what gets tested.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(&["WFGEN_EXTRA", "PATH", "BASH_ENV", "GITHUB_TOKEN", "a"][..]).prop_map(str::to_owned),
        1 => hostile(),
    ]
}

/// A value of some other type.
fn other_value() -> impl Strategy<Value = Value> {
    select(vec![
        Value::Integer(0),
        Value::Integer(-1),
        Value::Integer(i64::MAX),
        Value::Float(1.5),
        Value::Float(f64::NAN),
        Value::Boolean(true),
        Value::Boolean(false),
        Value::Array(Vec::new()),
        Value::Array(vec![Value::Integer(1)]),
        Value::Table(Table::new()),
        Value::Datetime("1979-05-27T07:32:00Z".parse().unwrap()),
    ])
}

/// One change to a profile. An `Index` picks among the candidates the
/// profile has (string leaves, keys, tables, free-form maps).
#[derive(Debug, Clone)]
pub enum Mutation {
    /// A string leaf gets a hostile value.
    Replace(Index, String, Placement),
    /// A key is renamed.
    Rename(Index, String),
    /// A key is dropped.
    Drop(Index),
    /// A table is copied under a new key next to it.
    Duplicate(Index, String),
    /// A value becomes one of another type.
    Retype(Index, Value),
    /// A free-form map gets an entry.
    Add(Index, String, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let placement = select(&[Placement::Whole, Placement::After, Placement::Before][..]);
    prop_oneof![
        8 => (any::<Index>(), hostile(), placement).prop_map(|(i, s, p)| Mutation::Replace(i, s, p)),
        1 => (any::<Index>(), hostile()).prop_map(|(i, s)| Mutation::Rename(i, s)),
        1 => any::<Index>().prop_map(Mutation::Drop),
        1 => (any::<Index>(), key()).prop_map(|(i, s)| Mutation::Duplicate(i, s)),
        1 => (any::<Index>(), other_value()).prop_map(|(i, v)| Mutation::Retype(i, v)),
        4 => (any::<Index>(), key(), hostile()).prop_map(|(i, k, v)| Mutation::Add(i, k, v)),
    ]
}

/// One to three mutations of one profile.
#[derive(Debug, Clone)]
pub struct Case(Vec<Mutation>);

pub fn case() -> impl Strategy<Value = Case> {
    proptest::collection::vec(mutation(), 1..=3).prop_map(Case)
}

impl Case {
    /// The profile `text` with every mutation applied, as TOML text.
    pub fn apply(&self, text: &str) -> String {
        let mut root = Value::Table(text.parse::<Table>().unwrap());
        for mutation in &self.0 {
            mutation.apply(&mut root);
        }
        toml::to_string(&root).unwrap()
    }
}

/// A step from a value to one inside it.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Item(usize),
}

type Path = Vec<Step>;

impl Mutation {
    fn apply(&self, root: &mut Value) {
        let values = paths(root);
        let pick = |index: &Index, candidates: Vec<Path>| -> Option<Path> {
            (!candidates.is_empty()).then(|| index.get(&candidates).clone())
        };
        let of = |test: fn(&Value) -> bool| -> Vec<Path> {
            values
                .iter()
                .filter(|path| test(get(root, path)))
                .cloned()
                .collect()
        };
        let keyed: Vec<Path> = values
            .iter()
            .filter(|path| matches!(path.last(), Some(Step::Key(_))))
            .cloned()
            .collect();
        match self {
            Mutation::Replace(index, hostile, placement) => {
                if let Some(path) = pick(index, of(Value::is_str)) {
                    let value = get_mut(root, &path);
                    let old = value.as_str().unwrap_or_default();
                    *value = Value::String(match placement {
                        Placement::Whole => hostile.clone(),
                        Placement::After => format!("{old}{hostile}"),
                        Placement::Before => format!("{hostile}{old}"),
                    });
                }
            }
            Mutation::Rename(index, to) => {
                if let Some(path) = pick(index, keyed) {
                    let (table, key) = parent(root, &path);
                    if let Some(value) = table.remove(&key) {
                        table.insert(to.clone(), value);
                    }
                }
            }
            Mutation::Drop(index) => {
                if let Some(path) = pick(index, keyed) {
                    let (table, key) = parent(root, &path);
                    table.remove(&key);
                }
            }
            Mutation::Duplicate(index, to) => {
                let tables: Vec<Path> = keyed
                    .into_iter()
                    .filter(|path| get(root, path).is_table())
                    .collect();
                if let Some(path) = pick(index, tables) {
                    let (table, key) = parent(root, &path);
                    let copy = table[&key].clone();
                    table.insert(format!("{key}-{to}"), copy);
                }
            }
            Mutation::Retype(index, value) => {
                if let Some(path) = pick(index, values.clone()) {
                    *get_mut(root, &path) = value.clone();
                }
            }
            Mutation::Add(index, key, value) => {
                if let Some((path, map)) = pick_map(index, &maps(root))
                    && let Value::Table(holder) = get_mut(root, &path)
                    && let Value::Table(map) = holder
                        .entry(map)
                        .or_insert_with(|| Value::Table(Table::new()))
                {
                    map.insert(key.clone(), Value::String(value.clone()));
                }
            }
        }
    }
}

fn pick_map(index: &Index, maps: &[(Path, &'static str)]) -> Option<(Path, &'static str)> {
    (!maps.is_empty()).then(|| index.get(maps).clone())
}

/// The tables that hold a free-form map, and its key: Python suites,
/// their services and the Node jobs have `env`, images `build-args`.
fn maps(root: &Value) -> Vec<(Path, &'static str)> {
    let key = |k: &str| Step::Key(k.to_owned());
    let mut maps = Vec::new();
    let tables = |value: &Value| -> Vec<String> {
        value
            .as_table()
            .map(|t| {
                t.iter()
                    .filter(|(_, v)| v.is_table())
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default()
    };
    let python = root.get("python").and_then(|p| p.get("tests"));
    for suite in python.map(tables).unwrap_or_default() {
        let suite_path = vec![key("python"), key("tests"), key(&suite)];
        let services = get(root, &suite_path).get("services");
        for service in services.map(tables).unwrap_or_default() {
            let mut path = suite_path.clone();
            path.extend([key("services"), key(&service)]);
            maps.push((path, "env"));
        }
        maps.push((suite_path, "env"));
    }
    for job in ["unit", "e2e", "build"] {
        if root
            .get("node")
            .and_then(|n| n.get(job))
            .is_some_and(Value::is_table)
        {
            maps.push((vec![key("node"), key(job)], "env"));
        }
    }
    for image in root.get("images").map(tables).unwrap_or_default() {
        maps.push((vec![key("images"), key(&image)], "build-args"));
    }
    maps
}

/// Every value below `root`, by path, parents before children.
fn paths(root: &Value) -> Vec<Path> {
    fn walk(value: &Value, path: &mut Path, out: &mut Vec<Path>) {
        if !path.is_empty() {
            out.push(path.clone());
        }
        match value {
            Value::Table(table) => {
                for (key, child) in table {
                    path.push(Step::Key(key.clone()));
                    walk(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    path.push(Step::Item(i));
                    walk(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, &mut Vec::new(), &mut out);
    out
}

fn get<'a>(root: &'a Value, path: &[Step]) -> &'a Value {
    path.iter().fold(root, |value, step| match step {
        Step::Key(key) => &value[key.as_str()],
        Step::Item(i) => &value[*i],
    })
}

fn get_mut<'a>(root: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(root, |value, step| match step {
        Step::Key(key) => value.get_mut(key.as_str()).unwrap(),
        Step::Item(i) => value.get_mut(*i).unwrap(),
    })
}

/// The table that holds the entry at `path`, and its key.
fn parent<'a>(root: &'a mut Value, path: &[Step]) -> (&'a mut Table, String) {
    let (last, above) = path.split_last().unwrap();
    let Step::Key(key) = last else {
        unreachable!("only keyed paths are passed")
    };
    let Value::Table(table) = get_mut(root, above) else {
        unreachable!("a key's parent is a table")
    };
    (table, key.clone())
}

/// A string or key of the profile `text` that holds `${{`, if any.
pub fn expressions(text: &str) -> Option<String> {
    let root = Value::Table(text.parse::<Table>().ok()?);
    paths(&root).into_iter().find_map(|path| {
        let key = match path.last() {
            Some(Step::Key(key)) => Some(key.clone()),
            _ => None,
        };
        let value = get(&root, &path).as_str().map(str::to_owned);
        [key, value]
            .into_iter()
            .flatten()
            .find(|text| text.contains("${{"))
    })
}
