//! `[environments.<name>.ssh]`: a server with docker compose, deployed
//! and rolled back over SSH by one script.

mod backup;
mod options;
mod profile;
mod steps;

use std::ops::Range;

use super::{Deployment, RollbackFacts, Target};
use crate::compile::Context;
use crate::profile::Environment;
use crate::profile::checks::Checked;
use crate::workflow::Step;

pub use backup::{Backup, Keep};
pub use options::{BlueGreen, PgName, Ports, Strategy};
pub use profile::{Host, RemoteDir, Ssh};

impl Target for Ssh {
    fn what() -> &'static str {
        "a server with docker compose"
    }

    fn rollback_to() -> &'static str {
        "an image tag"
    }

    fn check(&self, span: Range<usize>, _environment: &Environment) -> Checked {
        Ssh::check(self, span)
    }

    fn deploy(&self, _context: Context<'_>, push_job: &str) -> Deployment {
        let image = format!("${{{{ needs.{push_job}.outputs.image }}}}");
        Deployment {
            steps: vec![steps::deploy_step(self, &image)],
            reads_contents: false,
        }
    }

    fn rollback_steps(&self, _context: Context<'_>, target: &str) -> Vec<Step> {
        vec![steps::rollback_step(self, target)]
    }

    fn rollback_facts(&self) -> RollbackFacts {
        RollbackFacts {
            previous: "the previous version is the image\n  deployed before the current one, from the history of deployed images that\n  every deploy keeps on the server.",
            example: "\"<image tag>\"",
        }
    }
}
