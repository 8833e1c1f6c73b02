//! What a job reads from the profile's `env`, `secrets` and `vars`, and
//! where a job that reads secrets runs.

use indexmap::IndexMap;

use crate::profile::{EnvName, Profile, Value};
use crate::workflow::{Env, Environment};

/// Plain values, then secrets and repository variables (as expressions,
/// which GitHub evaluates into the environment, never into a script).
pub(crate) fn variables(
    env: &IndexMap<EnvName, Value>,
    secrets: &[EnvName],
    vars: &[EnvName],
) -> Env {
    let expression =
        |context: &str, name: &EnvName| (name.to_string(), format!("${{{{ {context}.{name} }}}}"));
    let mut out: Env = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    out.extend(secrets.iter().map(|s| expression("secrets", s)));
    out.extend(vars.iter().map(|v| expression("vars", v)));
    out
}

/// The secrets environment, for a job that reads secrets: no other job
/// can reach them.
pub(crate) fn secrets_environment(profile: &Profile, secrets: &[EnvName]) -> Option<Environment> {
    (!secrets.is_empty()).then(|| Environment {
        name: profile.ci.secrets_environment.to_string(),
        url: None,
    })
}
