//! What the integration tests share: the `wfgen` command, rendered steps,
//! a script runner, and the SSH deploy harness (a real sshd, a stub docker,
//! a health endpoint).

pub mod command;
pub mod deploy;
pub mod generated;
pub mod health;
pub mod render;
pub mod script;
pub mod sshd;
