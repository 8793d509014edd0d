//! Walking every page of a paged operation: [`Paginator`], its streams, and the [`Paged`] trait
//! the generated request builders implement to say where the page number and size go and where
//! an answer holds its items. The walk and its stop rules live here once; a generated impl is a
//! handful of field accesses.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, Stream, StreamExt as _};

use crate::runtime::error::Error;

/// The page number and page size inputs of one request, as [`Paged::cursor`] lends them.
pub type Cursor<'a> = (&'a mut dyn PageField, &'a mut dyn PageField);

/// A request builder of a paged operation (every builder with an `into_paginator` method
/// implements it; there is no need to implement it elsewhere).
pub trait Paged: Clone + Send + 'static {
    /// The decoded answer of one page.
    type Page: Send + 'static;
    /// One item of a page.
    type Item: Send + 'static;
    /// The page size asked for when the request sets none: the largest the API serves.
    const MAX_LIMIT: i64;
    /// The request's page number and page size inputs.
    fn cursor(&mut self) -> Cursor<'_>;
    /// An answer's total item count (if it states one) and its list of items (`None` when the
    /// answer holds no list: an empty page).
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
/// it sets (default the largest the API serves). It sends the request once per page, with every
/// other input unchanged and the usual checks, retries and authentication, and stops
///
/// - after the page that brings the items seen (counting the pages before the first) to the
///   answer's total, using the latest total when it changes during the walk;
/// - at an empty page, or a page shorter than the page size;
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

    /// A stream of the decoded answers, one per page (an empty first page is yielded too: it
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
struct Walk<R> {
    template: R,
    next_page: i64,
    limit: i64,
    /// Items on the pages before `next_page` (the ones before the first page counted as full).
    seen: i64,
    done: bool,
}

impl<R: Paged> Walk<R> {
    fn new(mut template: R) -> Self {
        let (page, limit) = template.cursor();
        let first = page.get().filter(|p| *p >= 1).unwrap_or(1);
        let limit = limit.get().filter(|l| *l >= 1).unwrap_or(R::MAX_LIMIT);
        Walk { template, next_page: first, limit, seen: (first - 1).saturating_mul(limit), done: false }
    }

    async fn step(&mut self) -> Option<Result<R::Page, Error>> {
        if self.done {
            return None;
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
            Ok(mut answer) => {
                let (total, len) = R::parts(&mut answer).map_or((None, 0), |(total, list)| (total, list.len()));
                let len = i64::try_from(len).unwrap_or(i64::MAX);
                self.seen = self.seen.saturating_add(len);
                self.next_page = self.next_page.saturating_add(1);
                self.done = len == 0 || len < self.limit || total.is_some_and(|total| self.seen >= total);
                Some(Ok(answer))
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
