//! Walking every page of a paged operation: [`Paginator`], its streams, and the [`Paged`] trait
//! the generated request builders implement to say where the page number and size go and where
//! a response holds its items. The walk and its stop rules live here once; a generated impl is a
//! handful of field accesses.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, Stream, StreamExt as _};

use crate::runtime::error::{ConfigError, Error};

/// The page number and page size inputs of one request, as [`Paged::cursor`] lends them.
pub type Cursor<'a> = (&'a mut dyn PageField, &'a mut dyn PageField);

/// A request builder of a paged operation (every builder with an `into_paginator` method
/// implements it; there is no need to implement it elsewhere).
pub trait Paged: Clone + Send + 'static {
    /// The decoded response of one page.
    type Page: Send + 'static;
    /// One item of a page (compared with the previous page's, to notice a repeated page).
    type Item: Clone + PartialEq + Send + 'static;
    /// The page size asked for when the request sets none: the largest the API serves.
    const MAX_LIMIT: i64;
    /// The request's page number and page size inputs.
    fn cursor(&mut self) -> Cursor<'_>;
    /// A response's total item count (if it states one) and its list of items (`None` when the
    /// response holds no list: an empty page).
    fn parts(page: &mut Self::Page) -> Option<(Option<i64>, &mut Vec<Self::Item>)>;
    /// Sends the request (with its checks), as `send` does.
    fn fetch(self) -> impl Future<Output = Result<Self::Page, Error>> + Send;
}

/// A page number or page size input, whatever type the spec gives it.
pub trait PageField {
    /// The value set, if it is one (a string that is no number counts as unset).
    fn get(&self) -> Option<i64>;
    /// Sets the value.
    fn set(&mut self, value: i64);
}

impl PageField for i64 {
    fn get(&self) -> Option<i64> {
        Some(*self)
    }
    fn set(&mut self, value: i64) {
        *self = value;
    }
}

impl PageField for Option<i64> {
    fn get(&self) -> Option<i64> {
        *self
    }
    fn set(&mut self, value: i64) {
        *self = Some(value);
    }
}

impl PageField for f64 {
    fn get(&self) -> Option<i64> {
        integral(*self)
    }
    fn set(&mut self, value: i64) {
        *self = value as f64;
    }
}

impl PageField for Option<f64> {
    fn get(&self) -> Option<i64> {
        self.and_then(integral)
    }
    fn set(&mut self, value: i64) {
        *self = Some(value as f64);
    }
}

/// A whole `f64` as an `i64` (page numbers and sizes are whole).
fn integral(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
}

impl PageField for String {
    fn get(&self) -> Option<i64> {
        self.trim().parse().ok()
    }
    fn set(&mut self, value: i64) {
        *self = value.to_string();
    }
}

impl PageField for Option<String> {
    fn get(&self) -> Option<i64> {
        self.as_deref().and_then(|s| s.trim().parse().ok())
    }
    fn set(&mut self, value: i64) {
        *self = Some(value.to_string());
    }
}

/// Walks all pages of one paged request; made by the request builder's `into_paginator`.
///
/// The walk starts at the page number the request sets (default 1) and asks for the page size
/// it sets, at most the largest the API serves (a larger `limit` is lowered to it: an API that
/// serves fewer items than asked for would otherwise look as if it had run out; a walk from a
/// later page with such a `limit` is refused with [`Error::Config`], since a smaller page size
/// would move where it starts), by default that largest size. It sends the request once per page, with every other input unchanged and
/// the usual checks, retries and authentication, and stops
///
/// - where the response states a total: after the page that brings the items seen (counting the
///   pages before the first) to the total, using the latest total when it changes during the
///   walk, or at an empty page; a short page does not end it while the total says more remain;
/// - where it states none: at an empty page, or a page shorter than the page size;
/// - with [`Error::PageRepeated`] when a page holds exactly the previous page's items (an API
///   that ignores the page number would otherwise repeat them, forever without a total);
/// - at the first error, which the stream yields before it ends.
///
/// It never asks for a page twice.
///
/// ```no_run
/// # async fn run(client: genauth::ManagementClient) -> Result<(), genauth::Error> {
/// let mut users = client.list_users().into_paginator().items();
/// while let Some(user) = users.next().await {
///     println!("{}", user?.user_id);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a paginator does nothing until its stream is polled"]
pub struct Paginator<R> {
    request: R,
}

impl<R> fmt::Debug for Paginator<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginator").field("request", &std::any::type_name::<R>()).finish()
    }
}

impl<R: Paged> Paginator<R> {
    /// A paginator for `request`.
    pub fn new(request: R) -> Self {
        Paginator { request }
    }

    /// A stream of the decoded responses, one per page (an empty first page is yielded too: it
    /// carries the total).
    pub fn pages(self) -> PageStream<R::Page> {
        let walk = Walk::new(self.request);
        PageStream::new(stream::unfold(walk, |mut walk| async move { walk.step().await.map(|page| (page, walk)) }))
    }

    /// A stream of the items of every page, in order.
    pub fn items(self) -> PageStream<R::Item> {
        PageStream::new(self.pages().flat_map(|page| {
            let items: Vec<Result<R::Item, Error>> = match page {
                Ok(mut page) => R::parts(&mut page)
                    .map(|(_, list)| std::mem::take(list))
                    .unwrap_or_default()
                    .into_iter()
                    .map(Ok)
                    .collect(),
                Err(e) => vec![Err(e)],
            };
            stream::iter(items)
        }))
    }
}

/// Where a walk is.
struct Walk<R: Paged> {
    template: R,
    next_page: i64,
    limit: i64,
    /// Items on the pages before `next_page` (the ones before the first page counted as full).
    seen: i64,
    /// The items of the previous non-empty page, to notice one served again.
    previous: Option<Vec<R::Item>>,
    /// Why the walk cannot start, yielded as its one error.
    refused: Option<String>,
    done: bool,
}

impl<R: Paged> Walk<R> {
    fn new(mut template: R) -> Self {
        let (page, limit) = template.cursor();
        let first = page.get().filter(|p| *p >= 1).unwrap_or(1);
        let asked = limit.get().filter(|l| *l >= 1);
        let limit = asked.map_or(R::MAX_LIMIT, |l| l.min(R::MAX_LIMIT));
        let seen = (first - 1).saturating_mul(limit);
        let mut walk = Walk { template, next_page: first, limit, seen, previous: None, refused: None, done: false };
        if let Some(asked) = asked.filter(|l| *l > R::MAX_LIMIT && first > 1) {
            // Lowering the size would move where the walk starts: say so rather than guess.
            walk.refused = Some(format!(
                "a paginator cannot start at page {first} with limit {asked}: the API serves at most {} items a page; \
                 start at page 1 or with a limit of at most {}",
                R::MAX_LIMIT,
                R::MAX_LIMIT
            ));
        }
        walk
    }

    async fn step(&mut self) -> Option<Result<R::Page, Error>> {
        if self.done {
            return None;
        }
        if let Some(refusal) = self.refused.take() {
            self.done = true;
            return Some(Err(ConfigError::new(None, refusal).into()));
        }
        let mut request = self.template.clone();
        let (page, limit) = request.cursor();
        page.set(self.next_page);
        limit.set(self.limit);
        match request.fetch().await {
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
            Ok(mut response) => {
                let (total, list) = match R::parts(&mut response) {
                    Some((total, list)) => (total, list.as_slice()),
                    None => (None, &[][..]),
                };
                if !list.is_empty() && self.previous.as_deref() == Some(list) {
                    self.done = true;
                    let request = std::any::type_name::<R>().rsplit("::").next().unwrap_or("a paged request");
                    return Some(Err(Error::PageRepeated { request, page: self.next_page }));
                }
                let len = i64::try_from(list.len()).unwrap_or(i64::MAX);
                self.seen = self.seen.saturating_add(len);
                self.next_page = self.next_page.saturating_add(1);
                self.done = match total {
                    Some(total) => len == 0 || self.seen >= total,
                    None => len == 0 || len < self.limit,
                };
                if !self.done {
                    self.previous = Some(list.to_vec());
                }
                Some(Ok(response))
            }
        }
    }
}

/// A stream of pages or items from a [`Paginator`]: a [`futures_util::Stream`] of
/// `Result<T, Error>` that ends after the last page or the first error.
///
/// Read it with [`next`](Self::next) (no extra imports), [`try_collect`](Self::try_collect), or
/// any stream combinator.
#[must_use = "a stream does nothing until polled"]
pub struct PageStream<T> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>,
}

impl<T> fmt::Debug for PageStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream").finish_non_exhaustive()
    }
}

impl<T> PageStream<T> {
    fn new(inner: impl Stream<Item = Result<T, Error>> + Send + 'static) -> Self {
        PageStream { inner: Box::pin(inner) }
    }

    /// The next page or item; `None` once the walk is over.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        self.inner.next().await
    }

    /// Every remaining page or item, or the first error.
    ///
    /// # Errors
    ///
    /// The first error a page request fails with.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error> {
        let mut all = Vec::new();
        while let Some(next) = self.next().await {
            all.push(next?);
        }
        Ok(all)
    }
}

impl<T> Stream for PageStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A paged request over an in-memory list, for the stop rules that no operation of the
    /// stand-in reaches (every one of them states a total). `serve` is the server: page number
    /// and size asked for in, `(total, items)` out.
    #[derive(Clone)]
    struct Fake {
        page: Option<i64>,
        limit: Option<i64>,
        serve: fn(i64, i64) -> (Option<i64>, Vec<u32>),
        asked: std::sync::Arc<std::sync::Mutex<Vec<(i64, i64)>>>,
    }

    impl Paged for Fake {
        type Page = (Option<i64>, Vec<u32>);
        type Item = u32;
        const MAX_LIMIT: i64 = 10;
        fn cursor(&mut self) -> Cursor<'_> {
            (&mut self.page, &mut self.limit)
        }
        fn parts(page: &mut Self::Page) -> Option<(Option<i64>, &mut Vec<u32>)> {
            Some((page.0, &mut page.1))
        }
        async fn fetch(self) -> Result<Self::Page, Error> {
            let (page, limit) = (self.page.unwrap_or(0), self.limit.unwrap_or(0));
            self.asked.lock().unwrap().push((page, limit));
            Ok((self.serve)(page, limit))
        }
    }

    /// Walks `serve` (at most 100 items, so a walk that never ends fails instead of hanging).
    fn walk(serve: fn(i64, i64) -> (Option<i64>, Vec<u32>)) -> (Vec<u32>, Option<Error>, Vec<(i64, i64)>) {
        let asked = std::sync::Arc::default();
        let fake = Fake { page: None, limit: None, serve, asked: std::sync::Arc::clone(&asked) };
        let mut items = Paginator::new(fake).items();
        let (mut got, mut error) = (Vec::new(), None);
        block_on(async {
            while let Some(item) = items.next().await {
                match item {
                    Ok(item) if got.len() < 100 => got.push(item),
                    Ok(_) => panic!("the walk did not end"),
                    Err(e) => error = Some(e),
                }
            }
        });
        let asked = asked.lock().unwrap().clone();
        (got, error, asked)
    }

    fn block_on(future: impl Future<Output = ()>) {
        tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(future);
    }

    /// `n` items from `from`, at most up to 25 in all.
    fn items(from: i64, n: i64) -> Vec<u32> {
        (from..(from + n).min(25)).map(|i| u32::try_from(i).unwrap()).collect()
    }

    #[test]
    fn without_a_total_a_short_page_ends_the_walk() {
        let (got, error, asked) = walk(|page, limit| (None, items((page - 1) * limit, limit)));
        assert_eq!((got, error.is_none()), (items(0, 25), true));
        assert_eq!(asked, [(1, 10), (2, 10), (3, 10)]);
    }

    #[test]
    fn a_repeated_page_is_an_error_with_or_without_a_total() {
        // Before, without a total a server ignoring `page` was walked forever.
        for total in [None, Some(25)] {
            let serve = if total.is_some() {
                |_, limit| (Some(25), items(0, limit))
            } else {
                |_, limit| (None, items(0, limit))
            };
            let (got, error, asked) = walk(serve);
            assert_eq!(got, items(0, 10), "{total:?}");
            assert!(matches!(error, Some(Error::PageRepeated { page: 2, request: "Fake" })), "{error:?}");
            assert_eq!(asked.len(), 2);
        }
    }

    #[test]
    fn with_a_total_a_short_page_does_not_end_the_walk() {
        // A server that serves 4 a page whatever was asked, and counts its pages in 4s.
        let (got, error, asked) = walk(|page, _| (Some(25), items((page - 1) * 4, 4)));
        assert_eq!((got, error.is_none()), (items(0, 25), true));
        assert_eq!(asked.len(), 7, "25 items in pages of 4");
    }

    /// Every type a spec gives a page number reads back what was set, and an unset or
    /// non-numeric value reads as unset (the walk then uses its default).
    #[test]
    fn page_fields_of_every_type_round_trip() {
        let mut int: i64 = 0;
        let mut opt_int: Option<i64> = None;
        let mut float: f64 = 0.5;
        let mut opt_float: Option<f64> = None;
        let mut text = String::from("first");
        let mut opt_text: Option<String> = None;
        let fields: [&mut dyn PageField; 6] =
            [&mut int, &mut opt_int, &mut float, &mut opt_float, &mut text, &mut opt_text];
        for field in fields {
            if field.get().is_some() {
                assert_eq!(field.get(), Some(0), "only a zero integer reads as set before `set`");
            }
            field.set(7);
            assert_eq!(field.get(), Some(7));
        }
        assert_eq!(opt_text.as_deref(), Some("7"), "strings carry the decimal text");
        assert_eq!(integral(2.5), None);
        assert_eq!(integral(f64::NAN), None);
        assert_eq!(Some(" 12 ".to_owned()).get(), Some(12));
    }
}
