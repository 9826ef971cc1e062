-- Issue #16's permissions for the built-in roles of tenants created before it (new tenants
-- get them from BuiltinRole::default_permissions): supervisors read reports, review quality,
-- work and merge customer records; agents work customer records.
INSERT INTO role_permissions (tenant_id, role_id, permission)
SELECT r.tenant_id, r.id, p.permission
FROM roles r
JOIN (
    SELECT 'supervisor' AS role, 'reports.view' AS permission
    UNION ALL SELECT 'supervisor', 'quality.review'
    UNION ALL SELECT 'supervisor', 'customers.work'
    UNION ALL SELECT 'supervisor', 'customers.merge'
    UNION ALL SELECT 'agent', 'customers.work'
) p ON p.role = r.name
WHERE r.builtin
ON CONFLICT DO NOTHING;
