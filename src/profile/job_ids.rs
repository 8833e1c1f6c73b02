//! Every job id a profile makes, claimed once: stages of each stack,
//! images, the freshness and status checks, and each environment's deploy,
//! release, report and rollback jobs. Two claims of one id are a located
//! error naming both places, so compile never meets a clash (it refuses
//! one loudly, see [`crate::job_id::insert_new`]).

use std::collections::HashMap;
use std::ops::Range;

use super::Profile;
use super::checks::Checked;
use crate::diagnostic::Diagnostic;
use crate::job_id;

/// One job id, what in the profile makes it, and where (when the profile
/// has a place for it: the freshness check is on by default).
struct Claim {
    id: String,
    what: String,
    span: Option<Range<usize>>,
    /// How to free the id from this claim's side.
    fix: String,
}

/// Every job id the profile makes, in the order they are checked.
fn claims(profile: &Profile) -> Vec<Claim> {
    let claim = |id: String, what: String, span: Option<Range<usize>>, fix: String| Claim {
        id,
        what,
        span,
        fix,
    };
    let mut claims = Vec::new();
    if profile.ci.freshness_check {
        claims.push(claim(
            job_id::FRESHNESS.to_owned(),
            "the freshness check (`[ci] freshness-check`, on by default)".to_owned(),
            None,
            "turn off `[ci] freshness-check`".to_owned(),
        ));
    }
    if !profile.environments.is_empty() {
        claims.push(claim(
            job_id::VERSION.to_owned(),
            "the version job of deploy workflows".to_owned(),
            None,
            String::new(),
        ));
    }
    if let Some(changes) = &profile.changes {
        claims.push(claim(
            job_id::CHANGES.to_owned(),
            "`[changes]`".to_owned(),
            Some(changes.span()),
            "rename the other job".to_owned(),
        ));
    }
    for present in profile.stacks() {
        let stack = present.stack.table();
        let fix = format!(
            "give `[{stack}]` its own `job-prefix`, e.g. `job-prefix = \"ui\"`: its job ids then \
             start with `ui-`, and its `needs` keep naming its own stages"
        );
        for stage in present.stack.stages() {
            let what = format!("`[{stack}]`'s stage `{}`", stage.id);
            claims.push(claim(
                stage.job_id,
                what,
                Some(present.job_id_span()),
                fix.clone(),
            ));
        }
    }
    for (id, image) in &profile.images {
        for job in [job_id::build(id), job_id::push(id)] {
            let fix = format!("rename image `{id}`");
            claims.push(claim(job, format!("image `{id}`"), Some(image.span()), fix));
        }
    }
    if let Some(status) = &profile.ci.status_check {
        let what = "`[ci] status-check`".to_owned();
        let fix = "name the status job e.g. `status-check = \"build-status\"`".to_owned();
        claims.push(claim(
            status.get_ref().to_string(),
            what,
            Some(status.span()),
            fix,
        ));
    }
    for (id, span) in super::user::ids(profile) {
        let fix = format!("rename your job `[jobs.{id}]`");
        claims.push(claim(
            id.to_string(),
            format!("`[jobs.{id}]`"),
            Some(span),
            fix,
        ));
    }
    for (name, environment) in &profile.environments {
        let settings = environment.get_ref();
        let what = format!("environment `{name}`");
        let fix = format!("rename environment `{name}`");
        let mut jobs = vec![job_id::deploy(name), job_id::rollback(name)];
        if settings.release {
            jobs.push(job_id::release(name));
        }
        if settings.notify.issue_on_failure {
            jobs.push(job_id::report(name));
        }
        for job in jobs {
            claims.push(claim(
                job,
                what.clone(),
                Some(environment.span()),
                fix.clone(),
            ));
        }
    }
    claims
}

/// No two parts of the profile make a job of the same id.
pub(super) fn check(profile: &Profile) -> Checked {
    let claims = claims(profile);
    // The first claim of each id, by id: a later claim of the id by
    // something else clashes with it (a scan of the earlier claims for
    // each claim was quadratic in thousands of suites). Any claim between
    // the two is by the first one's owner, or it would have clashed first.
    let mut first: HashMap<&str, &Claim> = HashMap::new();
    for later in &claims {
        let earlier = *first.entry(later.id.as_str()).or_insert(later);
        if earlier.what != later.what {
            return Err(Box::new(clash(earlier, later)));
        }
    }
    Ok(())
}

fn clash(earlier: &Claim, later: &Claim) -> Diagnostic {
    let id = &later.id;
    let message = format!("{} and {} both make a job `{id}`", earlier.what, later.what);
    // Point at the later claim, else at the earlier one: at most one of
    // them (the freshness check, the version job) has no place.
    let (here, there) = if later.span.is_some() {
        (later, earlier)
    } else {
        (earlier, later)
    };
    let mut diagnostic = Diagnostic::at("", "", here.span.clone(), message)
        .label(format!("{} makes the job `{id}`", here.what));
    if let Some(span) = there
        .span
        .clone()
        .filter(|span| Some(span) != here.span.as_ref())
    {
        diagnostic = diagnostic.context(span, format!("{} makes it too", there.what));
    }
    // The fix on the side the error points at; a claim with no place
    // (the version job) has none to offer.
    let fix = [&here.fix, &there.fix]
        .into_iter()
        .find(|fix| !fix.is_empty())
        .map_or(String::new(), |fix| format!(": {fix}"));
    diagnostic.help(format!("job ids must be unique{fix}"))
}
