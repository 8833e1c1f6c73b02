//! Service containers: the kind's defaults merged with the profile's
//! settings, a Docker health check, and the connection URL for the tests.

use indexmap::IndexMap;
use serde_spanned::Spanned;

use super::{Service, ServiceKind};
use crate::profile::Ident;
use crate::workflow::{self, Env};

/// The job's service containers, and the variables that point the tests
/// at them (`DATABASE_URL=postgresql://...`).
pub(crate) fn resolve(
    services: &IndexMap<Ident, Spanned<Service>>,
) -> (IndexMap<String, workflow::Service>, Env) {
    let mut containers = IndexMap::new();
    let mut urls = Env::new();
    for (id, service) in services {
        let service = service.get_ref();
        let kind = service.kind_of(id.as_str());
        // Custom services are checked to have a port (profile checks).
        let ports = service.runner_ports(kind);
        let port = ports.first().copied().unwrap_or_default();
        let mut env: IndexMap<String, String> = kind
            .default_env()
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        env.extend(
            service
                .env
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        let url_env = service
            .url_env
            .as_ref()
            .map(ToString::to_string)
            .or(kind.default_url_env().map(str::to_owned));
        if let (Some(name), Some(url)) = (url_env, kind.url(port, &env)) {
            urls.insert(name, url);
        }
        let image = service
            .image
            .as_ref()
            .map(ToString::to_string)
            .or(kind.default_image().map(str::to_owned))
            .unwrap_or_default();
        let health = service
            .health_cmd
            .as_ref()
            .map(ToString::to_string)
            .or(kind.default_health_cmd().map(str::to_owned));
        containers.insert(
            id.to_string(),
            workflow::Service {
                image,
                env,
                ports: published(kind, &ports),
                options: health.map(|cmd| health_options(&cmd)),
            },
        );
    }
    (containers, urls)
}

/// `runner:container` mappings: a known kind listens on its standard
/// port whatever runner port the profile publishes it on (the first);
/// every other port is the same on both sides.
fn published(kind: ServiceKind, ports: &[u16]) -> Vec<String> {
    ports
        .iter()
        .enumerate()
        .map(|(index, port)| match kind {
            ServiceKind::Custom => format!("{port}:{port}"),
            known if index == 0 => format!("{port}:{}", known.default_port()),
            _ => format!("{port}:{port}"),
        })
        .collect()
}

/// `docker create` options that make the job wait for a healthy service.
fn health_options(cmd: &str) -> String {
    format!(
        "--health-cmd {} --health-interval 5s --health-timeout 5s --health-retries 10",
        runner_quote(cmd)
    )
}

/// Quote one argument of a service's `options`. The runner hands the
/// string to `docker create` without a shell, split by .NET's rules: only
/// double quotes group words, and `\"` is a literal quote.
fn runner_quote(word: &str) -> String {
    if !word.is_empty() && !word.contains([' ', '\t', '"']) {
        return word.to_owned();
    }
    let mut quoted = String::from('"');
    let mut backslashes = 0;
    for c in word.chars() {
        match c {
            '\\' => backslashes += 1,
            // Backslashes before a quote are doubled, then the quote escaped.
            '"' => {
                quoted.push_str(&"\\".repeat(backslashes * 2 + 1));
                quoted.push('"');
                backslashes = 0;
            }
            _ => {
                quoted.push_str(&"\\".repeat(backslashes));
                quoted.push(c);
                backslashes = 0;
            }
        }
    }
    quoted.push_str(&"\\".repeat(backslashes * 2));
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use super::runner_quote;

    /// Split a command line the way .NET's `Process` does on Linux
    /// (`CommandLineToArgvW` rules), which is how the runner passes
    /// `options` to `docker create`.
    fn dotnet_split(line: &str) -> Vec<String> {
        let mut args = Vec::new();
        let mut current = String::new();
        let mut in_quotes = false;
        let mut started = false;
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c == '\\' {
                let run = chars[i..].iter().take_while(|c| **c == '\\').count();
                if chars.get(i + run) == Some(&'"') {
                    current.push_str(&"\\".repeat(run / 2));
                    if run % 2 == 1 {
                        current.push('"');
                        i += run + 1;
                    } else {
                        i += run;
                    }
                } else {
                    current.push_str(&"\\".repeat(run));
                    i += run;
                }
                started = true;
                continue;
            }
            match c {
                '"' => {
                    in_quotes = !in_quotes;
                    started = true;
                }
                ' ' | '\t' if !in_quotes => {
                    if started {
                        args.push(std::mem::take(&mut current));
                        started = false;
                    }
                }
                _ => {
                    current.push(c);
                    started = true;
                }
            }
            i += 1;
        }
        if started {
            args.push(current);
        }
        args
    }

    #[test]
    fn health_commands_reach_docker_as_one_argument() {
        for cmd in [
            "pg_isready",
            "redis-cli ping",
            "mongosh --quiet --eval 'db.runCommand({ ping: 1 })'",
            r#"sh -c "curl -f http://localhost:9200""#,
            r"echo a\b",
        ] {
            let options = format!("--health-cmd {} --health-retries 10", runner_quote(cmd));
            assert_eq!(
                dotnet_split(&options),
                ["--health-cmd", cmd, "--health-retries", "10"],
                "{options}"
            );
        }
    }
}
