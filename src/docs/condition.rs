//! When a job runs, read from its `if:`: the events its workflow runs on,
//! and a small three-valued evaluator of GitHub expressions. What the
//! document cannot know before a run (`needs.*`, `failure()`) is
//! "unknown", and a job that may run is taken to run.

use crate::workflow::Triggers;

/// One way a workflow run starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A push to a branch matching this pattern.
    Branch(String),
    /// A push of a tag matching this pattern.
    Tag(String),
    /// A pull request.
    PullRequest,
    /// The schedule.
    Schedule,
    /// By hand, with the value of the form's first choice input, if any.
    Dispatch(Option<(String, String)>),
}

/// Every way a workflow with these triggers starts.
pub fn events(on: &Triggers) -> Vec<Event> {
    let mut events = Vec::new();
    if let Some(push) = &on.push {
        events.extend(push.branches.iter().cloned().map(Event::Branch));
        events.extend(push.tags.iter().cloned().map(Event::Tag));
    }
    if on.pull_request.is_some() {
        events.push(Event::PullRequest);
    }
    if !on.schedule.is_empty() {
        events.push(Event::Schedule);
    }
    if let Some(dispatch) = &on.workflow_dispatch {
        let choice = dispatch.inputs.iter().find(|(_, i)| i.kind == "choice");
        match choice {
            Some((id, input)) => events.extend(
                input
                    .options
                    .iter()
                    .map(|option| Event::Dispatch(Some((id.clone(), option.clone())))),
            ),
            None => events.push(Event::Dispatch(None)),
        }
    }
    events
}

/// Whether a job with this `if:` may run for `event`.
pub fn may_run(condition: Option<&str>, event: &Event) -> bool {
    let Some(condition) = condition else {
        return true;
    };
    let text = condition.trim();
    let text = text
        .strip_prefix("${{")
        .and_then(|t| t.strip_suffix("}}"))
        .unwrap_or(text);
    let value = tokens(text).and_then(|tokens| {
        let mut parser = Parser {
            tokens,
            at: 0,
            event,
        };
        let value = parser.or()?;
        (parser.at == parser.tokens.len()).then_some(value)
    });
    // What cannot be read may run.
    value.and_then(Value::truth) != Some(false)
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    Comma,
    Not,
    And,
    Or,
    Eq,
    Ne,
    Str(String),
    Word(String),
}

fn tokens(text: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let token = match c {
            ' ' | '\t' | '\n' => continue,
            '(' => Token::Open,
            ')' => Token::Close,
            ',' => Token::Comma,
            '&' if chars.next_if_eq(&'&').is_some() => Token::And,
            '|' if chars.next_if_eq(&'|').is_some() => Token::Or,
            '=' if chars.next_if_eq(&'=').is_some() => Token::Eq,
            '!' if chars.next_if_eq(&'=').is_some() => Token::Ne,
            '!' => Token::Not,
            '\'' => {
                let mut text = String::new();
                loop {
                    match chars.next()? {
                        '\'' if chars.next_if_eq(&'\'').is_none() => break,
                        c => text.push(c),
                    }
                }
                Token::Str(text)
            }
            c if c.is_ascii_alphanumeric() || "_-.*".contains(c) => {
                let mut word = c.to_string();
                while let Some(c) =
                    chars.next_if(|c| c.is_ascii_alphanumeric() || "_-.*".contains(*c))
                {
                    word.push(c);
                }
                Token::Word(word)
            }
            _ => return None,
        };
        out.push(token);
    }
    Some(out)
}

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Str(String),
    /// A string known only to start with this (a ref of a pattern).
    StartsWith(String),
    Bool(bool),
    Unknown,
}

impl Value {
    fn truth(self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(b),
            Value::Str(s) => Some(!s.is_empty()),
            Value::StartsWith(prefix) => (!prefix.is_empty()).then_some(true),
            Value::Unknown => None,
        }
    }

    fn from_truth(truth: Option<bool>) -> Value {
        truth.map_or(Value::Unknown, Value::Bool)
    }
}

struct Parser<'a> {
    tokens: Vec<Token>,
    at: usize,
    event: &'a Event,
}

impl Parser<'_> {
    fn eat(&mut self, token: &Token) -> bool {
        let found = self.tokens.get(self.at) == Some(token);
        if found {
            self.at += 1;
        }
        found
    }

    fn or(&mut self) -> Option<Value> {
        let mut truth = self.and()?.truth();
        while self.eat(&Token::Or) {
            let next = self.and()?.truth();
            truth = match (truth, next) {
                (Some(true), _) | (_, Some(true)) => Some(true),
                (Some(false), Some(false)) => Some(false),
                _ => None,
            };
        }
        Some(Value::from_truth(truth))
    }

    fn and(&mut self) -> Option<Value> {
        let mut value = self.not()?;
        while self.eat(&Token::And) {
            let next = self.not()?.truth();
            value = Value::from_truth(match (value.truth(), next) {
                (Some(false), _) | (_, Some(false)) => Some(false),
                (Some(true), Some(true)) => Some(true),
                _ => None,
            });
        }
        Some(value)
    }

    fn not(&mut self) -> Option<Value> {
        if self.eat(&Token::Not) {
            return Some(Value::from_truth(self.not()?.truth().map(|t| !t)));
        }
        let left = self.primary()?;
        let equal = if self.eat(&Token::Eq) {
            true
        } else if self.eat(&Token::Ne) {
            false
        } else {
            return Some(left);
        };
        let right = self.primary()?;
        Some(match (left, right) {
            (Value::Unknown, _) | (_, Value::Unknown) => Value::Unknown,
            (Value::Str(a), Value::Str(b)) => Value::Bool((a == b) == equal),
            (Value::StartsWith(prefix), Value::Str(text))
            | (Value::Str(text), Value::StartsWith(prefix)) => {
                if text.starts_with(&prefix) {
                    Value::Unknown
                } else {
                    Value::Bool(!equal)
                }
            }
            (Value::Bool(a), Value::Bool(b)) => Value::Bool((a == b) == equal),
            _ => Value::Unknown,
        })
    }

    fn primary(&mut self) -> Option<Value> {
        let token = self.tokens.get(self.at)?.clone();
        self.at += 1;
        match token {
            Token::Open => {
                let value = self.or()?;
                self.eat(&Token::Close).then_some(value)
            }
            Token::Str(text) => Some(Value::Str(text)),
            Token::Word(_) if self.eat(&Token::Open) => {
                // A function: its result is only known during the run.
                if !self.eat(&Token::Close) {
                    self.or()?;
                    while self.eat(&Token::Comma) {
                        self.or()?;
                    }
                    self.eat(&Token::Close).then_some(())?;
                }
                Some(Value::Unknown)
            }
            Token::Word(word) => Some(self.lookup(&word)),
            _ => None,
        }
    }

    /// A context value, as far as the event tells it.
    fn lookup(&self, name: &str) -> Value {
        let event = self.event;
        match name {
            "true" => return Value::Bool(true),
            "false" => return Value::Bool(false),
            "null" => return Value::Str(String::new()),
            _ => {}
        }
        let text = |text: &str| Value::Str(text.to_owned());
        match (name, event) {
            ("github.event_name", Event::Branch(_) | Event::Tag(_)) => text("push"),
            ("github.event_name", Event::PullRequest) => text("pull_request"),
            ("github.event_name", Event::Schedule) => text("schedule"),
            ("github.event_name", Event::Dispatch(_)) => text("workflow_dispatch"),
            ("github.ref_type", Event::Branch(_)) => text("branch"),
            ("github.ref_type", Event::Tag(_)) => text("tag"),
            ("github.ref", Event::Branch(branch)) => git_ref("refs/heads/", branch),
            ("github.ref", Event::Tag(pattern)) => git_ref("refs/tags/", pattern),
            (input, Event::Dispatch(Some((id, value))))
                if input.strip_prefix("inputs.") == Some(id.as_str()) =>
            {
                text(value)
            }
            // Only a run started by hand has inputs.
            (input, Event::Branch(_) | Event::Tag(_) | Event::PullRequest | Event::Schedule)
                if input.starts_with("inputs.") =>
            {
                text("")
            }
            _ => Value::Unknown,
        }
    }
}

/// The ref of a push to a branch or tag that matches `filter`: itself, or
/// what a pattern's refs start with.
fn git_ref(kind: &str, filter: &str) -> Value {
    match filter.find(['*', '?', '[', '+', '!']) {
        None => Value::Str(format!("{kind}{filter}")),
        Some(at) => Value::StartsWith(format!("{kind}{}", &filter[..at])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(condition: &str, event: &Event) -> bool {
        may_run(Some(condition), event)
    }

    #[test]
    fn reads_the_deploy_conditions() {
        let develop = Event::Branch("develop".into());
        let tag = Event::Tag("v*.*.*".into());
        let staging = Event::Dispatch(Some(("environment".into(), "staging".into())));
        let production = Event::Dispatch(Some(("environment".into(), "production".into())));
        let branch = "(github.event_name == 'push' && github.ref == 'refs/heads/develop') || (github.event_name == 'workflow_dispatch' && inputs.environment == 'staging')";
        assert!(runs(branch, &develop));
        assert!(runs(branch, &staging));
        assert!(!runs(branch, &tag), "a tag's ref is no branch's");
        assert!(!runs(branch, &production));
        assert!(!runs(branch, &Event::Branch("main".into())));
        let tags = "(github.event_name == 'push' && github.ref_type == 'tag') || (github.event_name == 'workflow_dispatch' && inputs.environment == 'production')";
        assert!(runs(tags, &tag));
        assert!(runs(tags, &production));
        assert!(!runs(tags, &develop));
        let nested = "github.event_name == 'push' && (github.ref == 'refs/heads/main' || github.ref == 'refs/heads/dev')";
        assert!(runs(nested, &Event::Branch("dev".into())));
        assert!(!runs(nested, &Event::PullRequest));
    }

    #[test]
    fn what_is_unknown_before_the_run_may_run() {
        let event = Event::Branch("main".into());
        assert!(runs(
            "failure() && needs.deploy.result == 'failure'",
            &event
        ));
        assert!(runs("needs.version.outputs.version != ''", &event));
        assert!(runs("${{ !cancelled() }}", &event));
        assert!(runs(
            "github.ref == 'refs/heads/main'",
            &Event::Branch("**".into())
        ));
        let feature = Event::Branch("feature/**".into());
        assert!(!runs("github.ref == 'refs/heads/main'", &feature));
        assert!(runs("github.ref == 'refs/heads/feature/x'", &feature));
        assert!(runs("a < b", &event), "unreadable: may run");
        assert!(!runs("!(github.event_name == 'push')", &event));
    }
}
