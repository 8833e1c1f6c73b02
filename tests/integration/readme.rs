//! The README shows generated output: every block it marks as an excerpt
//! must appear, verbatim, in the file it names, so the README cannot
//! drift from what wfgen writes.

use std::fs;

#[test]
fn readme_excerpts_are_verbatim_copies_of_generated_files() {
    let readme = fs::read_to_string("README.md").unwrap();
    let mut checked = 0;
    for (marker, rest) in readme
        .split("<!-- excerpt: ")
        .skip(1)
        .map(|part| part.split_once(" -->").unwrap())
    {
        let body = rest
            .split_once("```")
            .and_then(|(_, fence)| fence.split_once('\n'))
            .map(|(_, code)| code)
            .unwrap();
        let excerpt = &body[..body.find("```").unwrap()];
        let file = fs::read_to_string(marker).unwrap_or_else(|e| panic!("{marker}: {e}"));
        assert!(
            file.contains(excerpt),
            "README excerpt of {marker} is not in the file:\n{excerpt}"
        );
        checked += 1;
    }
    assert!(
        checked >= 2,
        "the README should hold excerpts to check ({checked} found)"
    );
}

#[test]
fn readme_line_counts_match_the_profiles_and_their_workflows() {
    let readme = fs::read_to_string("README.md").unwrap();
    let (_, table) = readme.split_once("<!-- line-counts -->").unwrap();
    let rows: Vec<&str> = table
        .lines()
        .skip(3)
        .take_while(|line| line.starts_with("| `"))
        .collect();
    let mut profiles: Vec<String> = fs::read_dir("profiles")
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|name| name.strip_suffix(".toml").map(str::to_owned))
        .collect();
    let mut named: Vec<String> = rows
        .iter()
        .filter_map(|row| row.split('`').nth(1).map(str::to_owned))
        .collect();
    profiles.sort();
    named.sort();
    assert_eq!(named, profiles, "the README needs one row per profile");
    for row in rows {
        let cells: Vec<&str> = row
            .split('|')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let name = cells[0].trim_matches('`');
        let profile = fs::read_to_string(format!("profiles/{name}.toml"))
            .unwrap()
            .lines()
            .count();
        let mut workflows = 0;
        for entry in fs::read_dir(format!("generated/{name}/.github/workflows")).unwrap() {
            workflows += fs::read_to_string(entry.unwrap().path())
                .unwrap()
                .lines()
                .count();
        }
        assert_eq!(
            cells[1..],
            [profile.to_string(), workflows.to_string()],
            "README row for {name}"
        );
        assert!(
            profile * 10 < workflows,
            "{name}: {profile} profile lines should be well under a tenth of the {workflows} workflow lines"
        );
    }
}
