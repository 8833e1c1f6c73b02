//! wfgen: compile one typed TOML profile into validated, hardened GitHub
//! Actions workflows.

pub mod actions;
pub mod emit;
pub mod output;
pub mod workflow;
