//! The PostgreSQL side of the read path (`xero_core::read`): an organisation's credentials from
//! the token tables, and this backend's runtime, limits and interrupt check. Every consumer of
//! rows (set-returning functions now, foreign-table scans and syncs next) starts its reads here.

use std::rc::Rc;

use xero_core::entities::Entity;
use xero_core::http::Http;
use xero_core::list::ListPlan;
use xero_core::http::{Request, Response};
use xero_core::read::{Access, Answer, Credentials, ReadContext, Reader};
use xero_core::transport::{RetryPolicy, TlsProbe};
use xero_core::Result;

use crate::pg::catalog::{check_reach, Endpoint, Org};
use crate::pg::http::{http, interrupted};
use crate::pg::{guc, limits};
use crate::tokens::{access, keys};

/// An organisation's accounting-API access: OAuth 2.0 tokens refreshed by the token worker,
/// client-credentials tokens, or OAuth 1.0a signing, as its `auth` option says.
pub struct OrgCredentials {
    org: Org,
    http: Rc<Http>,
}

impl Credentials for OrgCredentials {
    fn access(&self, stale: Option<&str>) -> Result<Access> {
        access::access(&self.org, &self.http, stale, true)
    }
}

/// The backend's context and the organisation's credentials for a call to its accounting API.
fn context(org: &Org) -> Result<(ReadContext, OrgCredentials)> {
    check_reach(&org.config, Endpoint::Api)?;
    let http = http()?;
    // Why an HTTPS connection closed is asked of a bare handshake, unless a proxy would be
    // bypassed; whether this organisation presents a client certificate tells the answers apart.
    let probe_tls = match (&org.config.proxy, keys::has_client_identity(&org.config.server_name)?) {
        (Some(_), _) => TlsProbe::Off,
        (None, true) => TlsProbe::ClientCertificate,
        (None, false) => TlsProbe::NoClientCertificate,
    };
    let policy = RetryPolicy { probe_tls, ..guc::retry_policy() };
    let cx = ReadContext { http: http.clone(), policy, hooks: Rc::new(limits::OrgHooks::new(org)), interrupted };
    Ok((cx, OrgCredentials { org: org.clone(), http }))
}

/// Starts reading `plan` of `entity` for the organisation.
pub fn start(org: &Org, entity: &'static Entity, plan: ListPlan) -> Result<Reader> {
    let (cx, credentials) = context(org)?;
    Reader::start(cx, entity, plan, Box::new(credentials))
}

/// One call for the organisation whose whole answer is wanted (a report, a raw call).
pub fn call(org: &Org, request: Request, answer: Answer) -> Result<Response> {
    let (cx, credentials) = context(org)?;
    xero_core::read::call(&cx, &credentials, request, answer)
}
