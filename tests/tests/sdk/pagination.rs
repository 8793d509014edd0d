//! Paginators against the stand-in's user pool: a query-paged (`list_group_members`), a
//! body-paged one whose page numbers are strings (`list_tenant_admin`) and an `options.pagination` operation
//! (`list_users`), in both auth schemes and brands. The stand-in logs every page asked for, so
//! the tests see exactly what went over the wire.

use genauth::types::{ListUsersOptionsDto, PaginationDto, UserDto};
use genauth::{AuthScheme, Error, ManagementClient};
use genauth_tests::harness::{COMBINATIONS, bounded, client_for, example_command};
use genauth_tests::user_pool::{PoolQuirks, Total, user_id};
use genauth_tests::{Flavor, StandIn, StandInOptions};

const LIST_USERS: &str = "/api/v3/list-users";
const TENANT_ADMINS: &str = "/api/v3/list-tenant-admin";
const PATHS: [&str; 3] = [GROUP_MEMBERS, TENANT_ADMINS, LIST_USERS];
const GROUP_MEMBERS: &str = "/api/v3/list-group-members";

/// The ids of every item of one of the three paged operations, walked with `limit` (when set)
/// and one other input each, so the tests can check the other inputs ride along unchanged.
/// `list-tenant-admin` types its `page` and `limit` as strings.
async fn walk(client: &ManagementClient, path: &str, limit: Option<i64>) -> Result<Vec<String>, Error> {
    match path {
        GROUP_MEMBERS => {
            let mut request = client.list_group_members("group-code");
            if let Some(limit) = limit {
                request = request.limit(limit);
            }
            Ok(ids(&request.into_paginator().items().try_collect().await?))
        }
        TENANT_ADMINS => {
            let mut request = client.list_tenant_admin("tenant-1");
            if let Some(limit) = limit {
                request = request.limit(limit.to_string());
            }
            let admins = request.into_paginator().items().try_collect().await?;
            Ok(admins.into_iter().map(|a| a.link_user_id).collect())
        }
        _ => {
            let mut pagination = PaginationDto::new();
            if let Some(limit) = limit {
                pagination = pagination.with_limit(limit);
            }
            let request =
                client.list_users().keywords("alice").options(ListUsersOptionsDto::new().with_pagination(pagination));
            Ok(ids(&request.into_paginator().items().try_collect().await?))
        }
    }
}

fn asked_for(standin: &StandIn, path: &str) -> Vec<(i64, i64)> {
    standin.pages_asked().into_iter().filter(|p| p.path == path).map(|p| (p.page, p.limit)).collect()
}

fn ids(users: &[UserDto]) -> Vec<String> {
    users.iter().map(|u| u.user_id.clone()).collect()
}

fn expected_ids(range: std::ops::Range<usize>) -> Vec<String> {
    range.map(user_id).collect()
}

#[tokio::test]
async fn every_item_once_and_in_order_in_all_four_combinations() {
    for (scheme, flavor) in COMBINATIONS {
        let standin = StandIn::start(StandInOptions::new(flavor)).await;
        standin.set_pool_size(123);
        let client = client_for(&standin, scheme);
        for path in PATHS {
            let users = bounded(walk(&client, path, None))
                .await
                .unwrap_or_else(|e| panic!("{path} {scheme:?}/{flavor:?}: {e}"));
            assert_eq!(users, expected_ids(0..123), "{path} {scheme:?}/{flavor:?}");
            // The spec's largest page (50), pages 1, 2, 3, each once; the third is short.
            assert_eq!(asked_for(&standin, path), vec![(1, 50), (2, 50), (3, 50)], "{path}");
        }
        // Every other input arrived with every page.
        let body = standin.last_body().expect("list-users had a body");
        assert_eq!(body["keywords"], "alice");
    }
}

#[tokio::test]
async fn the_users_page_size_is_kept_and_a_full_last_page_ends_on_the_total() {
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    standin.set_pool_size(30);
    let client = client_for(&standin, AuthScheme::Signature);
    for path in PATHS {
        let users = bounded(walk(&client, path, Some(10))).await.unwrap();
        assert_eq!(users, expected_ids(0..30), "{path}");
        // 30 users in pages of 10: the third page reaches the total, so no fourth is asked for.
        assert_eq!(asked_for(&standin, path), vec![(1, 10), (2, 10), (3, 10)], "{path}");
    }
}

#[tokio::test]
async fn the_walk_starts_at_the_page_the_user_set() {
    let standin = StandIn::start(StandInOptions::new(Flavor::Authing)).await;
    standin.set_pool_size(45);
    let client = client_for(&standin, AuthScheme::ManagementToken);
    let walk = client.list_group_members("g").page(3).limit(10).into_paginator().items();
    let users = bounded(walk.try_collect()).await.unwrap();
    assert_eq!(ids(&users), expected_ids(20..45));
    assert_eq!(asked_for(&standin, GROUP_MEMBERS), vec![(3, 10), (4, 10), (5, 10)]);
}

#[tokio::test]
async fn an_empty_pool_is_one_request_and_no_items() {
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    let client = client_for(&standin, AuthScheme::Signature);
    for path in PATHS {
        let users = bounded(walk(&client, path, None)).await.unwrap();
        assert!(users.is_empty(), "{path}: {users:?}");
        assert_eq!(asked_for(&standin, path), vec![(1, 50)], "{path}");
    }
    // The pages stream still yields the one (empty) answer, with its total.
    let mut pages = client.list_users().into_paginator().pages();
    let first = bounded(pages.next()).await.expect("one page").unwrap();
    assert_eq!(first.data.total_count, 0);
    assert!(first.data.list.is_empty());
    assert!(bounded(pages.next()).await.is_none());
}

#[tokio::test]
async fn a_total_that_grows_mid_walk_is_followed() {
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    standin.set_pool_size(60);
    let client = client_for(&standin, AuthScheme::ManagementToken);
    let options = ListUsersOptionsDto::new().with_pagination(PaginationDto::new().with_limit(20));
    let mut pages = client.list_users().options(options).into_paginator().pages();
    let first = bounded(pages.next()).await.unwrap().unwrap();
    assert_eq!(first.data.total_count, 60);
    standin.set_pool_size(75);
    let mut seen = ids(&first.data.list);
    while let Some(page) = bounded(pages.next()).await {
        seen.extend(ids(&page.unwrap().data.list));
    }
    assert_eq!(seen, expected_ids(0..75));
    assert_eq!(asked_for(&standin, LIST_USERS), vec![(1, 20), (2, 20), (3, 20), (4, 20)]);
}

#[tokio::test]
async fn a_total_that_shrinks_mid_walk_ends_the_walk_early() {
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    standin.set_pool_size(100);
    let client = client_for(&standin, AuthScheme::Signature);
    let mut items = client.list_group_members("g").limit(20).into_paginator().items();
    let mut seen = Vec::new();
    for _ in 0..20 {
        seen.push(bounded(items.next()).await.unwrap().unwrap().user_id);
    }
    // Users 40.. leave while the walk is on page 1: page 2 reports a total of 40 and ends it.
    standin.set_pool_size(40);
    while let Some(user) = bounded(items.next()).await {
        seen.push(user.unwrap().user_id);
    }
    assert_eq!(seen, expected_ids(0..40));
    assert_eq!(asked_for(&standin, GROUP_MEMBERS), vec![(1, 20), (2, 20)]);
}

#[tokio::test]
async fn an_error_on_page_three_ends_the_stream_after_pages_one_and_two() {
    for scheme in [AuthScheme::Signature, AuthScheme::ManagementToken] {
        let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
        standin.set_pool_size(200);
        standin.fail_on_page(Some(3));
        let client = client_for(&standin, scheme);
        let mut pages = client.list_users().into_paginator().pages();
        let mut outcomes = Vec::new();
        while let Some(page) = bounded(pages.next()).await {
            outcomes.push(page.map(|p| ids(&p.data.list)));
        }
        assert_eq!(outcomes.len(), 3, "{outcomes:?}");
        assert_eq!(outcomes[0].as_ref().unwrap(), &expected_ids(0..50));
        assert_eq!(outcomes[1].as_ref().unwrap(), &expected_ids(50..100));
        match &outcomes[2] {
            Err(Error::Api(e)) => assert_eq!(e.status_code, 500),
            other => panic!("expected the page 3 error, got {other:?}"),
        }
        // A business error is not retried, and nothing after it is asked for.
        assert_eq!(asked_for(&standin, LIST_USERS), vec![(1, 50), (2, 50), (3, 50)]);

        // The items stream: 100 items, then the error, then the end.
        let mut items = client.list_users().into_paginator().items();
        let mut count = 0;
        let mut last = None;
        while let Some(item) = bounded(items.next()).await {
            match item {
                Ok(_) => count += 1,
                Err(e) => last = Some(e),
            }
        }
        assert_eq!(count, 100);
        assert!(matches!(last, Some(Error::Api(_))), "{last:?}");
    }
}

#[tokio::test]
async fn a_limit_above_the_most_the_api_serves_is_lowered_to_it() {
    // Issue 26, defect 2: a `limit` above the maximum was sent as it was (here the spec's
    // validation refused it; where the maximum is curated, a server that clamps served 50 of
    // 1,000 and the short page ended the walk).
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    standin.set_pool_size(120);
    let client = client_for(&standin, AuthScheme::Signature);
    let users = bounded(walk(&client, LIST_USERS, Some(500))).await.unwrap();
    assert_eq!(users, expected_ids(0..120));
    assert_eq!(asked_for(&standin, LIST_USERS), vec![(1, 50), (2, 50), (3, 50)]);
    // From a later page, lowering the size would move the start: refused, nothing sent.
    let walk = client.list_group_members("g").page(3).limit(100).into_paginator().items();
    let err = bounded(walk.try_collect()).await.unwrap_err();
    assert!(matches!(err, Error::Config(_)) && err.to_string().contains("at most 50"), "{err}");
    assert!(asked_for(&standin, GROUP_MEMBERS).is_empty());
}

#[tokio::test]
async fn a_server_that_serves_less_than_asked_is_walked_to_its_total() {
    // Issue 26, defect 2: a short page ended the walk even when `totalCount` said more remained.
    let standin = StandIn::start(StandInOptions::new(Flavor::Authing)).await;
    standin.set_pool_size(123);
    standin.set_pool_quirks(PoolQuirks { clamp_limit: Some(20), ..PoolQuirks::default() });
    let client = client_for(&standin, AuthScheme::ManagementToken);
    for path in PATHS {
        let users = bounded(walk(&client, path, None)).await.unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(users, expected_ids(0..123), "{path}");
        assert_eq!(asked_for(&standin, path), (1..=7).map(|p| (p, 50)).collect::<Vec<_>>(), "{path}");
    }
}

#[tokio::test]
async fn an_inflated_total_ends_at_the_empty_page() {
    let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
    standin.set_pool_size(60);
    let client = client_for(&standin, AuthScheme::Signature);
    standin.set_pool_quirks(PoolQuirks { total: Total::Claimed(1000), ..PoolQuirks::default() });
    assert_eq!(bounded(walk(&client, GROUP_MEMBERS, Some(25))).await.unwrap(), expected_ids(0..60));
    assert_eq!(asked_for(&standin, GROUP_MEMBERS), vec![(1, 25), (2, 25), (3, 25), (4, 25)], "to the empty page");
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_is_an_error_not_a_repeat() {
    // Issue 26, defect 2: before, such a server's first page came again and again: up to the
    // total with one, forever without.
    // (The walk without a total, which these operations always state, is tested in the
    // runtime's unit tests.)
    for total in [Total::Exact, Total::Claimed(10_000)] {
        let standin = StandIn::start(StandInOptions::new(Flavor::GenAuth)).await;
        standin.set_pool_size(200);
        standin.set_pool_quirks(PoolQuirks { ignore_page: true, total, ..PoolQuirks::default() });
        let client = client_for(&standin, AuthScheme::Signature);
        let mut items = client.list_group_members("g").into_paginator().items();
        let mut seen = Vec::new();
        let err = loop {
            match bounded(items.next()).await {
                Some(Ok(user)) => seen.push(user.user_id),
                Some(Err(e)) => break e,
                None => panic!("{total:?}: the walk ended without an error after {} items", seen.len()),
            }
        };
        assert_eq!(seen, expected_ids(0..50), "{total:?}: the first page once");
        assert!(matches!(err, Error::PageRepeated { page: 2, .. }), "{total:?}: {err:?}");
        assert!(err.to_string().contains("ListGroupMembersRequest"), "{err}");
        assert!(bounded(items.next()).await.is_none());
        assert_eq!(asked_for(&standin, GROUP_MEMBERS).len(), 2);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_all_users_example_walks_more_than_a_hundred_users() {
    for (scheme, flavor) in [(AuthScheme::Signature, Flavor::GenAuth), (AuthScheme::ManagementToken, Flavor::Authing)] {
        let standin = StandIn::start(StandInOptions::new(flavor)).await;
        standin.set_pool_size(137);
        let output = bounded(example_command("list_all_users", &standin, scheme).args(["--page-size", "25"]).output())
            .await
            .expect("the example runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let printed: Vec<String> = String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect();
        assert_eq!(printed, expected_ids(0..137));
        let pages: Vec<i64> = asked_for(&standin, LIST_USERS).into_iter().map(|(page, _)| page).collect();
        assert_eq!(pages, (1..=6).collect::<Vec<_>>(), "137 users in pages of 25");
    }
}
