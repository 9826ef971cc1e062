//! Named permissions, the building blocks of roles (A4), and the built-in roles' defaults.

/// One thing a user may do. Every API endpoint checks exactly one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Create, edit, import and deactivate users.
    ManageUsers,
    /// Create and edit roles.
    ManageRoles,
    /// Create and edit skill queues and category tags.
    ManageQueues,
    /// Change tenant parameters.
    ManageParams,
    /// Sign in to skill queues and handle contacts.
    AgentWork,
    /// Reset my own skill queues while signed in (重设技能队列, source 000).
    ResetQueues,
    /// See the live view of every agent and queue; force agent states.
    Monitor,
    /// Import and export tickets (工单导入导出).
    TicketImportExport,
    /// Import and export customer records (客户信息导入导出).
    CustomerImportExport,
    /// Listen to call recordings and read call records (外呼数据查看).
    RecordingAccess,
    /// Create contacts (tasks) through the API, as integrations do.
    CreateContacts,
    /// Manage the document library and team canned replies.
    ManageDocuments,
    /// Create, claim and work tickets (工单).
    TicketWork,
    /// See every ticket of the tenant (the "all" tab, the management view).
    TicketViewAll,
    /// Reopen a closed ticket.
    TicketReopen,
    /// Configure ticket categories, types, fields, workflows, templates, rules and shared views.
    ManageTickets,
    /// Place outbound calls through a trunk (外呼), within the tenant's destination rules.
    OutboundCall,
    /// Read historical reports, timelines and the wallboard as of a past moment (报表).
    ViewReports,
    /// Score contacts against scorecards and see every score (质检).
    QualityReview,
    /// Define quality scorecards (质检评分表).
    ManageQuality,
    /// See, create and edit customer records (客户资料).
    CustomerWork,
    /// Merge duplicate customer records.
    CustomerMerge,
    /// Manage integrations: outgoing webhooks and their delivery log.
    ManageIntegrations,
}

impl Permission {
    pub const ALL: [Permission; 23] = [
        Permission::ManageUsers,
        Permission::ManageRoles,
        Permission::ManageQueues,
        Permission::ManageParams,
        Permission::AgentWork,
        Permission::ResetQueues,
        Permission::Monitor,
        Permission::TicketImportExport,
        Permission::CustomerImportExport,
        Permission::RecordingAccess,
        Permission::CreateContacts,
        Permission::ManageDocuments,
        Permission::TicketWork,
        Permission::TicketViewAll,
        Permission::TicketReopen,
        Permission::ManageTickets,
        Permission::OutboundCall,
        Permission::ViewReports,
        Permission::QualityReview,
        Permission::ManageQuality,
        Permission::CustomerWork,
        Permission::CustomerMerge,
        Permission::ManageIntegrations,
    ];

    /// The stable code used in the API and in storage.
    pub fn code(self) -> &'static str {
        match self {
            Permission::ManageUsers => "users.manage",
            Permission::ManageRoles => "roles.manage",
            Permission::ManageQueues => "queues.manage",
            Permission::ManageParams => "params.manage",
            Permission::AgentWork => "agent.work",
            Permission::ResetQueues => "agent.reset_queues",
            Permission::Monitor => "supervisor.monitor",
            Permission::TicketImportExport => "tickets.import_export",
            Permission::CustomerImportExport => "customers.import_export",
            Permission::RecordingAccess => "recordings.access",
            Permission::CreateContacts => "contacts.create",
            Permission::ManageDocuments => "documents.manage",
            Permission::TicketWork => "tickets.work",
            Permission::TicketViewAll => "tickets.view_all",
            Permission::TicketReopen => "tickets.reopen",
            Permission::ManageTickets => "tickets.manage",
            Permission::OutboundCall => "calls.outbound",
            Permission::ViewReports => "reports.view",
            Permission::QualityReview => "quality.review",
            Permission::ManageQuality => "quality.manage",
            Permission::CustomerWork => "customers.work",
            Permission::CustomerMerge => "customers.merge",
            Permission::ManageIntegrations => "integrations.manage",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }

    pub fn description(self) -> &'static str {
        match self {
            Permission::ManageUsers => "Create, edit, import and deactivate users",
            Permission::ManageRoles => "Create and edit roles and their permissions",
            Permission::ManageQueues => "Create and edit skill queues and category tags",
            Permission::ManageParams => "Change tenant parameters",
            Permission::AgentWork => "Sign in to skill queues and handle contacts",
            Permission::ResetQueues => "Reset my own skill queues while signed in",
            Permission::Monitor => "Watch all agents and queues live; force agent states",
            Permission::TicketImportExport => "Import and export tickets",
            Permission::CustomerImportExport => "Import and export customer records",
            Permission::RecordingAccess => "Read call records and listen to recordings",
            Permission::CreateContacts => "Create contacts (tasks) through the API",
            Permission::ManageDocuments => "Manage the document library and team canned replies",
            Permission::TicketWork => "Create, claim and work tickets",
            Permission::TicketViewAll => "See every ticket and the ticket management view",
            Permission::TicketReopen => "Reopen closed tickets",
            Permission::ManageTickets => {
                "Configure ticket categories, types, workflows, templates and rules"
            }
            Permission::OutboundCall => "Place outbound calls within the destination rules",
            Permission::ViewReports => "Read historical reports, timelines and past wallboards",
            Permission::QualityReview => "Score contacts against scorecards and see all scores",
            Permission::ManageQuality => "Define quality scorecards",
            Permission::CustomerWork => "See, create and edit customer records",
            Permission::CustomerMerge => "Merge duplicate customer records",
            Permission::ManageIntegrations => "Manage outgoing webhooks and their deliveries",
        }
    }
}

/// The roles every tenant starts with. `admin` holds every permission and cannot be edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinRole {
    Admin,
    Supervisor,
    Agent,
}

impl BuiltinRole {
    pub const ALL: [BuiltinRole; 3] = [
        BuiltinRole::Admin,
        BuiltinRole::Supervisor,
        BuiltinRole::Agent,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BuiltinRole::Admin => "admin",
            BuiltinRole::Supervisor => "supervisor",
            BuiltinRole::Agent => "agent",
        }
    }

    /// Permissions a new tenant gives this role. Agents may reset their skill queues in new
    /// tenants (source 000: "对于新开租的租间,普通座席默认有上述权限").
    pub fn default_permissions(self) -> Vec<Permission> {
        use Permission::*;
        match self {
            BuiltinRole::Admin => Permission::ALL.to_vec(),
            BuiltinRole::Supervisor => vec![
                AgentWork,
                ResetQueues,
                Monitor,
                TicketImportExport,
                CustomerImportExport,
                RecordingAccess,
                CreateContacts,
                ManageDocuments,
                TicketWork,
                TicketViewAll,
                TicketReopen,
                OutboundCall,
                ViewReports,
                QualityReview,
                CustomerWork,
                CustomerMerge,
            ],
            BuiltinRole::Agent => vec![
                AgentWork,
                ResetQueues,
                TicketWork,
                OutboundCall,
                CustomerWork,
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut codes: Vec<_> = Permission::ALL.iter().map(|p| p.code()).collect();
        for p in Permission::ALL {
            assert_eq!(Permission::from_code(p.code()), Some(p));
        }
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), Permission::ALL.len());
        assert_eq!(Permission::from_code("nope"), None);
    }

    #[test]
    fn new_tenants_let_agents_reset_their_queues() {
        assert!(BuiltinRole::Agent
            .default_permissions()
            .contains(&Permission::ResetQueues));
        assert!(!BuiltinRole::Agent
            .default_permissions()
            .contains(&Permission::ManageUsers));
    }
}
