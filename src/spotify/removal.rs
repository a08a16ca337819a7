//! Removing playlist items by position.
//!
//! The Web API removes items only by URI, which drops *every* copy of that
//! URI. To remove one copy of a duplicate, the client removes the affected
//! URIs and re-inserts the copies that must stay at their final positions.
//! Re-inserted copies get a new "added at" date; local files cannot be
//! re-inserted, so a plan that would need that is refused.

use std::collections::BTreeSet;

use super::error::ApiError;

/// What to send to remove some positions from a playlist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovalPlan {
    /// URIs to remove (all their copies), each once, in first-seen order.
    pub remove_uris: Vec<String>,
    /// Inserts to run afterwards in this order: (position, URIs), at most
    /// 100 URIs each, positions in the final playlist.
    pub reinserts: Vec<(u32, Vec<String>)>,
}

/// Plans removing `positions` from a playlist whose items are `current`
/// (URIs in order). Fails on out-of-range positions, unavailable entries
/// (empty URI), or when a local file would have to be re-inserted.
pub fn plan_removal(current: &[String], positions: &[u32]) -> Result<RemovalPlan, ApiError> {
    let targets: BTreeSet<u32> = positions.iter().copied().collect();
    if targets.is_empty() {
        return Err(ApiError::InvalidArgument("nothing to remove".into()));
    }
    let mut remove_uris: Vec<String> = Vec::new();
    for &p in &targets {
        let uri = current.get(p as usize).ok_or_else(|| {
            ApiError::InvalidArgument(format!(
                "position {p} is outside the playlist ({} items)",
                current.len()
            ))
        })?;
        if uri.is_empty() {
            return Err(ApiError::InvalidArgument(format!(
                "the item at position {p} is unavailable and cannot be removed by URI"
            )));
        }
        if !remove_uris.contains(uri) {
            remove_uris.push(uri.clone());
        }
    }
    // Copies of the removed URIs that stay, with their final positions.
    let mut keep: Vec<(u32, String)> = Vec::new();
    let mut removed_before = 0u32;
    for (i, uri) in current.iter().enumerate() {
        let i = i as u32;
        if targets.contains(&i) {
            removed_before += 1;
        } else if remove_uris.contains(uri) {
            if crate::domain::is_local_uri(uri) {
                return Err(ApiError::InvalidArgument(
                    "cannot remove one copy of a duplicated local file".into(),
                ));
            }
            keep.push((i - removed_before, uri.clone()));
        }
    }
    let mut reinserts: Vec<(u32, Vec<String>)> = Vec::new();
    for (pos, uri) in keep {
        match reinserts.last_mut() {
            Some((start, uris)) if *start + uris.len() as u32 == pos && uris.len() < 100 => {
                uris.push(uri);
            }
            _ => reinserts.push((pos, vec![uri])),
        }
    }
    Ok(RemovalPlan {
        remove_uris,
        reinserts,
    })
}

/// Applies a plan to a list locally (what the server will hold afterwards).
pub fn apply_plan(current: &[String], plan: &RemovalPlan) -> Vec<String> {
    let mut out: Vec<String> = current
        .iter()
        .filter(|u| !plan.remove_uris.contains(u))
        .cloned()
        .collect();
    for (pos, uris) in &plan.reinserts {
        let at = (*pos as usize).min(out.len());
        out.splice(at..at, uris.iter().cloned());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| format!("spotify:track:{x}")).collect()
    }

    #[test]
    fn removes_one_copy_of_a_duplicate() {
        let cur = v(&["a", "b", "a", "c", "a"]);
        let plan = plan_removal(&cur, &[2]).unwrap();
        assert_eq!(plan.remove_uris, v(&["a"]));
        assert_eq!(plan.reinserts, vec![(0, v(&["a"])), (3, v(&["a"]))]);
        assert_eq!(apply_plan(&cur, &plan), v(&["a", "b", "c", "a"]));
    }

    #[test]
    fn unique_items_need_no_reinsert() {
        let cur = v(&["a", "b", "c"]);
        let plan = plan_removal(&cur, &[0, 2]).unwrap();
        assert!(plan.reinserts.is_empty());
        assert_eq!(apply_plan(&cur, &plan), v(&["b"]));
    }

    #[test]
    fn refuses_bad_positions_and_local_duplicates() {
        let cur = v(&["a"]);
        assert!(plan_removal(&cur, &[1]).is_err());
        assert!(plan_removal(&cur, &[]).is_err());
        let local = vec!["spotify:local:x:y:z:1".to_string(); 2];
        assert!(plan_removal(&local, &[0]).is_err());
        assert!(plan_removal(&[String::new()], &[0]).is_err());
    }

    proptest::proptest! {
        #[test]
        fn plan_matches_direct_removal(
            items in proptest::collection::vec(0u8..4, 1..40),
            picks in proptest::collection::vec(0usize..40, 1..5),
        ) {
            let cur: Vec<String> = items.iter().map(|i| format!("spotify:track:{i}")).collect();
            let positions: Vec<u32> = picks.iter().map(|p| (p % cur.len()) as u32).collect();
            let plan = plan_removal(&cur, &positions).unwrap();
            let expected: Vec<String> = cur.iter().enumerate()
                .filter(|(i, _)| !positions.contains(&(*i as u32)))
                .map(|(_, u)| u.clone()).collect();
            proptest::prop_assert_eq!(apply_plan(&cur, &plan), expected);
        }
    }
}
