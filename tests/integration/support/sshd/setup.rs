//! What a test sshd needs on disk: its privilege separation directory, keys,
//! the stub docker and its config (see sshd.rs).

use std::fs::{self, Permissions};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};

use super::{HOST, SSH_KEYGEN};

const STUB_DOCKER: &str = include_str!("stub-docker");

/// sshd's privilege separation directory, which the package does not create
/// outside systemd.
pub fn ensure_privsep_dir() {
    let dir = Path::new("/run/sshd");
    if dir.is_dir() {
        return;
    }
    fs::create_dir_all(dir)
        .and_then(|()| fs::set_permissions(dir, Permissions::from_mode(0o755)))
        .unwrap_or_else(|e| {
            panic!("cannot create /run/sshd, which sshd needs (as root: install -d -m 0755 /run/sshd): {e}")
        });
}

/// Fills the temp dir: keys, authorized_keys, the stub docker, the remote
/// home and the app dir. Returns the host's public key.
pub fn prepare(root: &Path) -> String {
    for dir in ["home", "stub/bin", "app"] {
        fs::create_dir_all(root.join(dir)).unwrap();
    }
    keygen(&root.join("host_key"), "wfgen-test-host");
    keygen(&root.join("user_key"), "wfgen-test-user");
    fs::copy(root.join("user_key.pub"), root.join("authorized_keys")).unwrap();
    let docker = root.join("stub/bin/docker");
    fs::write(&docker, STUB_DOCKER).unwrap();
    fs::set_permissions(&docker, Permissions::from_mode(0o755)).unwrap();
    public_key(&root.join("host_key"))
}

/// The server's config: everything in `root` (whose path has no spaces).
/// With `shell`, that shell reads the command line a client sends, as a
/// login shell would: sshd runs the forced command with the account's
/// shell, which hands the client's command, unparsed, to `shell -c`.
pub fn sshd_config(root: &Path, port: u16, shell: Option<&str>) -> String {
    let r = root.display();
    let force = shell.map_or_else(String::new, |shell| {
        format!("ForceCommand exec {shell} -c \"$SSH_ORIGINAL_COMMAND\"\n")
    });
    format!(
        "ListenAddress {HOST}\n\
         Port {port}\n\
         HostKey {r}/host_key\n\
         PidFile {r}/sshd.pid\n\
         AuthorizedKeysFile {r}/authorized_keys\n\
         StrictModes no\n\
         UsePAM no\n\
         PermitRootLogin prohibit-password\n\
         PubkeyAuthentication yes\n\
         PasswordAuthentication no\n\
         KbdInteractiveAuthentication no\n\
         GSSAPIAuthentication no\n\
         X11Forwarding no\n\
         AllowTcpForwarding no\n\
         PrintMotd no\n\
         LogLevel VERBOSE\n\
         SetEnv PATH={r}/stub/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
         HOME={r}/home DOCKER_STUB_DIR={r}/stub\n\
         {force}"
    )
}

/// A new passphrase-less ed25519 key pair at `path` and `path.pub`.
pub fn keygen(path: &Path, comment: &str) {
    let out = Command::new(SSH_KEYGEN)
        .args(["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .output()
        .expect("run ssh-keygen");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ssh-keygen failed: {stderr}");
}

/// "type base64" of the public key next to the private key at `path`.
pub fn public_key(path: &Path) -> String {
    let text = fs::read_to_string(path.with_extension("pub")).expect("read a public key");
    text.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The current user's name, which the server accepts a login for.
pub fn current_user() -> String {
    let out = Command::new("id").arg("-un").output().expect("run id -un");
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}
