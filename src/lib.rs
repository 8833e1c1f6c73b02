//! wfgen: compile one typed TOML profile into validated, hardened GitHub
//! Actions workflows.

pub mod actions;
pub mod emit;
pub mod validate;
pub mod workflow;
