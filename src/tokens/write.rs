//! The PostgreSQL side of writes: who may write to an organisation, and sending a write call
//! through the same credentials, call slots, quotas, retries and interrupt check as a read.
//! Writes change the organisation's books, so USAGE on its server (enough to read) is not
//! enough: the server's owner, a superuser, or a role its owner lists in `api_write_roles`.

use xero_core::http::Response;
use xero_core::read::Answer;
use xero_core::writes::WriteCall;
use xero_core::{ErrorKind, Result, XeroError};

use crate::pg::catalog::Org;
use crate::tokens::read;

/// Whether the current role may write to `org`; `what` names the write in the error (e.g.
/// "INSERT into invoices", "xero_push", "xero_api").
pub fn may_write(org: &Org, what: &str) -> Result<()> {
    // SAFETY: catalog checks of the current user against a server and roles that exist (a
    // missing role is looked up with missing_ok and skipped).
    let allowed = unsafe {
        let me = pgrx::pg_sys::GetUserId();
        pgrx::pg_sys::superuser()
            || pgrx::pg_sys::pg_foreign_server_ownercheck(org.server_oid, me)
            || org.config.api_write_roles.iter().any(|role| {
                let Ok(name) = std::ffi::CString::new(role.as_str()) else { return false };
                let oid = pgrx::pg_sys::get_role_oid(name.as_ptr(), true);
                oid != pgrx::pg_sys::InvalidOid && pgrx::pg_sys::has_privs_of_role(me, oid)
            })
    };
    if allowed {
        return Ok(());
    }
    let server = &org.config.server_name;
    Err(XeroError::new(ErrorKind::PermissionDenied, format!("{what}: writes to organisation \"{server}\" are not allowed for this role"))
        .with_detail("USAGE on the server allows reading; writes change Xero's books and need the server's owner or a role in its api_write_roles option.")
        .with_hint(format!("The owner of server {server} can allow a role: ALTER SERVER {server} OPTIONS (ADD api_write_roles '<role>');")))
}

/// Sends a write call and returns Xero's final answer, whatever its status (the caller reads
/// it element by element). Retried only as the transport retries a keyed write.
pub fn send(org: &Org, call: &WriteCall) -> Result<Response> {
    read::call(org, call.request.clone(), Answer::AsIs)
}
