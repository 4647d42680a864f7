//! The response body type: either whole, or deliberately cut short.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

pub enum MockBody {
    Full(Option<Bytes>),
    /// Sends the first half, pauses so it reaches the client, then fails the stream,
    /// which makes hyper close the connection short of the promised Content-Length.
    Truncated {
        first: Option<Bytes>,
        pause: Pin<Box<Sleep>>,
    },
}

impl MockBody {
    pub fn full(b: Bytes) -> MockBody {
        MockBody::Full(Some(b))
    }

    pub fn truncated(b: Bytes) -> MockBody {
        MockBody::Truncated {
            first: Some(b.slice(..b.len() / 2)),
            pause: Box::pin(tokio::time::sleep(Duration::from_millis(50))),
        }
    }
}

impl Body for MockBody {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        match self.get_mut() {
            MockBody::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            MockBody::Truncated { first, pause } => {
                if let Some(b) = first.take() {
                    return Poll::Ready(Some(Ok(Frame::data(b))));
                }
                match pause.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        Poll::Ready(Some(Err(std::io::Error::other("body truncated by fault"))))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, MockBody::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            MockBody::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            MockBody::Truncated { .. } => SizeHint::default(),
        }
    }
}
