//! Authentication: opaque bearer tokens stored only as SHA-256, and the extractors that turn a token into a principal and check permissions.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, StatusCode};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use switchboard_engine::Permission;
use switchboard_storage::Principal;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A new random bearer token and the hash under which it is stored.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Looks up the principal behind a raw token.
pub async fn principal_for_token(state: &AppState, token: &str) -> ApiResult<(Principal, String)> {
    let hash = token_hash(token);
    let principal = state
        .store
        .principal(&hash, state.clock.now_ms())
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    Ok((principal, hash))
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

/// The refusal of everything but the password change itself until it is done.
pub fn password_change_required() -> ApiError {
    ApiError::client(
        StatusCode::FORBIDDEN,
        "password_change_required",
        "change your password before using Switchboard",
    )
}

/// A signed-in user who may use the API: the password change forced at first login is done.
pub struct Auth(pub Principal);

/// A signed-in user who may still owe the forced password change; only the few endpoints
/// needed to make that change accept this.
pub struct PendingAuth {
    pub principal: Principal,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for PendingAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let token = bearer(parts).ok_or_else(ApiError::unauthenticated)?;
        let (principal, token_hash) = principal_for_token(state, token).await?;
        Ok(PendingAuth {
            principal,
            token_hash,
        })
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let pending = PendingAuth::from_request_parts(parts, state).await?;
        if pending.principal.must_change_password {
            return Err(password_change_required());
        }
        Ok(Auth(pending.principal))
    }
}

/// Names a permission at the type level, so a handler's signature says what it needs.
pub trait Needs {
    const PERMISSION: Permission;
}

macro_rules! permission_markers {
    ($($name:ident),+) => {
        /// One marker type per permission, for [`Can`].
        pub mod perm {
            $(
                pub struct $name;
                impl super::Needs for $name {
                    const PERMISSION: switchboard_engine::Permission = switchboard_engine::Permission::$name;
                }
            )+
        }
    };
}
permission_markers!(
    ManageUsers,
    ManageRoles,
    ManageQueues,
    ManageParams,
    AgentWork,
    ResetQueues,
    Monitor,
    CreateContacts,
    ManageDocuments,
    TicketWork,
    TicketViewAll,
    TicketReopen,
    ManageTickets,
    TicketImportExport,
    RecordingAccess,
    OutboundCall,
    ViewReports,
    QualityReview,
    ManageQuality,
    CustomerWork,
    CustomerMerge,
    CustomerImportExport,
    ManageIntegrations
);

/// A signed-in user holding permission `P`. Checked before the body is read, so a caller
/// without the permission learns nothing about what the endpoint would accept.
pub struct Can<P> {
    pub principal: Principal,
    _needs: std::marker::PhantomData<P>,
}

impl<P> std::ops::Deref for Can<P> {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.principal
    }
}

impl<P: Needs> FromRequestParts<AppState> for Can<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let auth = Auth::from_request_parts(parts, state).await?;
        auth.require(P::PERMISSION)?;
        Ok(Can {
            principal: auth.0,
            _needs: std::marker::PhantomData,
        })
    }
}

/// Refuses with 403 unless the user holds `permission`.
pub fn require(principal: &Principal, permission: Permission) -> ApiResult<&Principal> {
    if principal.may(permission) {
        Ok(principal)
    } else {
        Err(ApiError::forbidden(format!(
            "this needs the permission '{}'",
            permission.code()
        )))
    }
}

impl Auth {
    /// Refuses with 403 unless the user holds `permission`.
    pub fn require(&self, permission: Permission) -> ApiResult<&Principal> {
        require(&self.0, permission)
    }
}

impl<P> Can<P> {
    /// A further permission some requests need once the record is known (e.g. a team-wide
    /// record); refuses with 403 unless the user holds it.
    pub fn require(&self, permission: Permission) -> ApiResult<&Principal> {
        require(&self.principal, permission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_stably() {
        let (a, ha) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(token_hash(&a), ha);
        assert_eq!(ha.len(), 64);
    }
}
