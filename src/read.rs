//! Bounded reads: every file wfgen reads (a profile, a generated file on
//! disk, a schema it may replace) is read only if it is a regular file
//! (after following a symlink) and no larger than a limit, so a profile
//! that is a FIFO, `/dev/zero` or a symlink to one fails with a clear
//! error instead of hanging or filling memory.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// The largest profile wfgen reads: the largest example is a few KiB, a
/// profile of 10,000 suites about 300 KiB.
pub(crate) const PROFILE_LIMIT: u64 = 8 << 20;

/// The largest file wfgen reads back from the output tree: a generated
/// workflow or document, or the schema. The workflow of 10,000 suites is
/// about 15 MiB; one deploying 10,000 environments about 100 MiB.
pub(crate) const OUTPUT_LIMIT: u64 = 256 << 20;

/// The bytes of the regular file at `path`, at most `limit` of them.
///
/// Fails with [`io::ErrorKind::InvalidInput`] for anything but a regular
/// file (a folder, FIFO, socket or device), with
/// [`io::ErrorKind::FileTooLarge`] past `limit`, and with
/// [`io::ErrorKind::NotFound`] for nothing there. The type is checked
/// before opening, and the file is opened without blocking (a FIFO swapped
/// in between is then refused, not waited on).
pub(crate) fn regular_file(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    check_type(&fs::metadata(path)?, limit)?;
    let file = open_nonblocking(path)?;
    check_type(&file.metadata()?, limit)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(bytes)
}

fn check_type(metadata: &fs::Metadata, limit: u64) -> io::Result<()> {
    if !metadata.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file (it is {})", kind(&metadata.file_type())),
        ));
    }
    if metadata.len() > limit {
        return Err(too_large(limit));
    }
    Ok(())
}

fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("larger than wfgen reads ({} KiB)", limit >> 10),
    )
}

/// What a file that is not a regular file is, for the error message.
fn kind(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_regular_file_and_refuses_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        fs::write(&path, "x = 1\n").unwrap();
        assert_eq!(regular_file(&path, 100).unwrap(), b"x = 1\n");
        let error = regular_file(&path, 3).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::FileTooLarge);
        let error = regular_file(dir.path(), 100).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(error.to_string().contains("a folder"), "{error}");
        let missing = regular_file(&dir.path().join("nope"), 100).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_refused_without_reading() {
        let error = regular_file(Path::new("/dev/zero"), 100).unwrap_err();
        assert!(error.to_string().contains("a device"), "{error}");
    }
}
