//! `[environments.<name>.command]`: the profile's own deploy and rollback
//! commands, in a checkout of the commit, in the environment.

mod profile;
mod steps;

use std::ops::Range;

use super::{Deployment, RollbackFacts, Target};
use crate::compile::Context;
use crate::profile::Environment;
use crate::profile::checks::{Checked, error};
use crate::workflow::Step;

pub use profile::CommandTarget;

impl Target for CommandTarget {
    fn what() -> &'static str {
        "the profile's own deploy and rollback commands"
    }

    fn rollback_to() -> &'static str {
        "an image tag"
    }

    /// Each name reaches the commands once, and none hides a value the
    /// target sets itself.
    fn check(&self, span: Range<usize>, _environment: &Environment) -> Checked {
        let mut seen: Vec<&str> = steps::RESERVED.to_vec();
        // `env`'s keys carry no span of their own: the table's.
        let plain = self.env.keys().map(|name| (name.as_str(), span.clone()));
        let named = self
            .secrets
            .iter()
            .chain(&self.vars)
            .map(|name| (name.get_ref().as_str(), name.span()));
        let named = plain.chain(named);
        for (name, span) in named {
            if seen.contains(&name) {
                return Err(Box::new(
                    error(span, format!("`{name}` is set twice in the commands' environment"))
                        .label("already a value of this target")
                        .help(format!(
                            "`{}` are set by wfgen, and each name of `env`, `secrets` and `vars` may appear once: rename one",
                            steps::RESERVED.join("`, `")
                        )),
                ));
            }
            seen.push(name);
        }
        Ok(())
    }

    fn deploy(&self, context: Context<'_>, push_job: &str) -> Deployment {
        let mut steps = vec![crate::compile::checkout(context)];
        steps.extend(steps::deploy_steps(self, push_job));
        Deployment {
            steps,
            reads_contents: true,
        }
    }

    /// The rollback command runs in a checkout of the commit, as the
    /// deploy command does.
    fn rollback_reads_contents(&self) -> bool {
        true
    }

    fn rollback_steps(&self, _context: Context<'_>, target: &str) -> Vec<Step> {
        steps::rollback_steps(self, target)
    }

    fn rollback_facts(&self) -> RollbackFacts {
        RollbackFacts {
            previous: "the previous version is the one the\n  rollback command finds when `TARGET` is empty.",
            example: "\"<image tag>\"",
        }
    }
}
