//! Service containers a test job needs (databases, caches), shared by
//! every stack's test jobs and by user jobs: the profile's settings, their
//! rules, and the containers and connection URLs they become.

mod checks;
mod containers;
mod kind;

pub use kind::{Service, ServiceKind, ServicePort};

pub(crate) use checks::check_services;
pub(crate) use containers::resolve as services;
