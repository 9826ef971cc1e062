//! The queries both databases share. Both speak the same SQL here (`$N` parameters,
//! `ON CONFLICT`, `RETURNING`-free), so the implementation is written once and instantiated
//! per backend by `impl_storage!`; what differs (connecting, pragmas, migrations) lives in
//! `sqlite.rs` and `postgres.rs`.
//!
//! Writes go through `self.writer` in one transaction each; reads through `self.reader`.
//! SQLite gives the writer a single connection so writers queue instead of failing busy.

macro_rules! impl_storage {
    ($store:ty, $db:ty) => {
        use $crate::rows::*;
        use $crate::*;
        use switchboard_engine::*;
        use uuid::Uuid;

        type Tx<'a> = sqlx::Transaction<'a, $db>;

        /// The message a sender already stored under `client_id` in a conversation.
        async fn message_by_client_id<'c, E: sqlx::Executor<'c, Database = $db>>(
            db: E,
            tenant: TenantId,
            contact: ContactId,
            sender: Sender,
            client_id: &str,
        ) -> Result<Option<ChatMessage>> {
            let row: Option<ChatMessageRow> = sqlx::query_as(&format!(
                "{MESSAGE_COLUMNS} WHERE tenant_id = $1 AND contact_id = $2 AND sender = $3 AND client_id = $4"
            ))
            .bind(tenant.0)
            .bind(contact.0)
            .bind(sender.code())
            .bind(client_id)
            .fetch_optional(db)
            .await?;
            row.map(ChatMessage::try_from).transpose()
        }

        impl $store {
            async fn user_roles(
                &self,
                tenant: TenantId,
                user: Option<UserId>,
            ) -> Result<std::collections::HashMap<Uuid, Vec<RoleRef>>> {
                let rows: Vec<UserRoleRow> = sqlx::query_as(
                    "SELECT ur.user_id, r.id AS role_id, r.name FROM user_roles ur \
                     JOIN roles r ON r.id = ur.role_id AND r.tenant_id = ur.tenant_id \
                     WHERE ur.tenant_id = $1 AND ($2 IS NULL OR ur.user_id = $2) ORDER BY r.name",
                )
                .bind(tenant.0)
                .bind(user.map(|u| u.0))
                .fetch_all(&self.reader)
                .await?;
                roles_by_user(rows)
            }

            async fn insert_user_roles(
                tx: &mut Tx<'_>,
                tenant: TenantId,
                user: Uuid,
                roles: &[RoleId],
            ) -> Result<()> {
                for role in roles {
                    sqlx::query(
                        "INSERT INTO user_roles (tenant_id, user_id, role_id) VALUES ($1, $2, $3) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(tenant.0)
                    .bind(user)
                    .bind(role.0)
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(())
            }

            async fn insert_role_permissions(
                tx: &mut Tx<'_>,
                tenant: TenantId,
                role: Uuid,
                permissions: &[Permission],
            ) -> Result<()> {
                for p in permissions {
                    sqlx::query(
                        "INSERT INTO role_permissions (tenant_id, role_id, permission) \
                         VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                    )
                    .bind(tenant.0)
                    .bind(role)
                    .bind(p.code())
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(())
            }

            async fn insert_queue_links(
                tx: &mut Tx<'_>,
                tenant: TenantId,
                queue: Uuid,
                tags: Option<&[TagId]>,
                agents: Option<&[QueueAgent]>,
            ) -> Result<()> {
                if let Some(tags) = tags {
                    sqlx::query("DELETE FROM queue_tags WHERE tenant_id = $1 AND queue_id = $2")
                        .bind(tenant.0)
                        .bind(queue)
                        .execute(&mut **tx)
                        .await?;
                    for tag in tags {
                        sqlx::query(
                            "INSERT INTO queue_tags (tenant_id, queue_id, tag_id) VALUES ($1, $2, $3) \
                             ON CONFLICT DO NOTHING",
                        )
                        .bind(tenant.0)
                        .bind(queue)
                        .bind(tag.0)
                        .execute(&mut **tx)
                        .await?;
                    }
                }
                if let Some(agents) = agents {
                    sqlx::query("DELETE FROM queue_agents WHERE tenant_id = $1 AND queue_id = $2")
                        .bind(tenant.0)
                        .bind(queue)
                        .execute(&mut **tx)
                        .await?;
                    for a in agents {
                        sqlx::query(
                            "INSERT INTO queue_agents (tenant_id, queue_id, user_id, skill_level) \
                             VALUES ($1, $2, $3, $4) ON CONFLICT (queue_id, user_id) \
                             DO UPDATE SET skill_level = excluded.skill_level",
                        )
                        .bind(tenant.0)
                        .bind(queue)
                        .bind(a.user_id.0)
                        .bind(i64::from(a.skill_level.get()))
                        .execute(&mut **tx)
                        .await?;
                    }
                }
                Ok(())
            }

            async fn load_queues(
                &self,
                tenant: TenantId,
                only: Option<SkillQueueId>,
            ) -> Result<Vec<SkillQueue>> {
                let only = only.map(|q| q.0);
                let queues: Vec<QueueRow> = sqlx::query_as(
                    "SELECT id, name, channel, strategy, priority, max_queue_len, max_wait_s, \
                     overflow_queue_id FROM skill_queues \
                     WHERE tenant_id = $1 AND ($2 IS NULL OR id = $2) ORDER BY name",
                )
                .bind(tenant.0)
                .bind(only)
                .fetch_all(&self.reader)
                .await?;
                let agents: Vec<QueueAgentRow> = sqlx::query_as(
                    "SELECT queue_id, user_id, skill_level FROM queue_agents \
                     WHERE tenant_id = $1 AND ($2 IS NULL OR queue_id = $2) \
                     ORDER BY skill_level DESC, user_id",
                )
                .bind(tenant.0)
                .bind(only)
                .fetch_all(&self.reader)
                .await?;
                let tags: Vec<QueueTagRow> = sqlx::query_as(
                    "SELECT queue_id, tag_id FROM queue_tags \
                     WHERE tenant_id = $1 AND ($2 IS NULL OR queue_id = $2)",
                )
                .bind(tenant.0)
                .bind(only)
                .fetch_all(&self.reader)
                .await?;
                assemble_queues(queues, agents, tags)
            }

            /// Deletes one tenant-owned row by id; `NotFound` when the tenant has no such row.
            async fn delete_owned(&self, table: &'static str, tenant: TenantId, id: Uuid) -> Result<()> {
                let done = sqlx::query(&format!("DELETE FROM {table} WHERE tenant_id = $1 AND id = $2"))
                    .bind(tenant.0)
                    .bind(id)
                    .execute(&self.writer)
                    .await?;
                found(done.rows_affected())
            }

            async fn required_queue(&self, tenant: TenantId, id: SkillQueueId) -> Result<SkillQueue> {
                self.load_queues(tenant, Some(id))
                    .await?
                    .pop()
                    .ok_or(StorageError::NotFound)
            }

            async fn required_role(&self, tenant: TenantId, id: RoleId) -> Result<Role> {
                self.role(tenant, id).await?.ok_or(StorageError::NotFound)
            }

            async fn required_user(&self, tenant: TenantId, id: UserId) -> Result<User> {
                self.user(tenant, id).await?.ok_or(StorageError::NotFound)
            }
        }

        #[async_trait::async_trait]
        impl Storage for $store {
            async fn health(&self) -> Result<()> {
                sqlx::query("SELECT 1").execute(&self.reader).await?;
                Ok(())
            }

            async fn create_tenant(
                &self,
                name: &TenantName,
                display_name: &str,
                now: Millis,
            ) -> Result<Tenant> {
                let id = TenantId::new();
                let params = TenantParams::default();
                let mut tx = self.writer.begin().await?;
                sqlx::query(
                    "INSERT INTO tenants (id, name, display_name, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(id.0)
                .bind(name.as_str())
                .bind(display_name)
                .bind(now)
                .execute(&mut *tx)
                .await?;
write_params(&mut tx, id, &params).await?;
                for builtin in BuiltinRole::ALL {
                    let role = RoleId::new();
                    sqlx::query("INSERT INTO roles (tenant_id, id, name, builtin) VALUES ($1, $2, $3, TRUE)")
                        .bind(id.0)
                        .bind(role.0)
                        .bind(builtin.name())
                        .execute(&mut *tx)
                        .await?;
                    Self::insert_role_permissions(&mut tx, id, role.0, &builtin.default_permissions()).await?;
                }
                tx.commit().await?;
                Ok(Tenant {
                    id,
                    name: name.clone(),
                    display_name: display_name.to_owned(),
                    created_at: now,
                })
            }

            async fn tenant_by_name(&self, name: &TenantName) -> Result<Option<Tenant>> {
                let row: Option<TenantRow> = sqlx::query_as(
                    "SELECT id, name, display_name, created_at FROM tenants WHERE name = $1",
                )
                .bind(name.as_str())
                .fetch_optional(&self.reader)
                .await?;
                row.map(Tenant::try_from).transpose()
            }

            async fn tenant_params(&self, tenant: TenantId) -> Result<TenantParams> {
                let row: ParamsRow = sqlx::query_as(
                    "SELECT post_sign_in_state, sign_in_mode, auto_answer, wrap_up_limit_s, \
                     summary_required, offer_timeout_s, no_answer_limit, chat_during_call, \
                     task_limit, familiar_wait_s, recall_limit_s FROM tenant_params WHERE tenant_id = $1",
                )
                .bind(tenant.0)
                .fetch_one(&self.reader)
                .await?;
                row.try_into()
            }

            async fn set_tenant_params(
                &self,
                tenant: TenantId,
                params: &TenantParams,
                zone: &switchboard_engine::TenantZone,
            ) -> Result<()> {
                let mut tx = self.writer.begin().await?;
                write_params(&mut tx, tenant, params).await?;
                sqlx::query("UPDATE tenants SET time_zone = $2 WHERE id = $1")
                    .bind(tenant.0)
                    .bind(zone.name())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn tenant_zone(&self, tenant: TenantId) -> Result<switchboard_engine::TenantZone> {
                let name: String = sqlx::query_scalar("SELECT time_zone FROM tenants WHERE id = $1")
                    .bind(tenant.0)
                    .fetch_one(&self.reader)
                    .await?;
                stored_zone(&name)
            }

            async fn create_users(
                &self,
                tenant: TenantId,
                users: &[NewUser],
                now: Millis,
            ) -> Result<Vec<User>> {
                let mut tx = self.writer.begin().await?;
                let mut ids = Vec::with_capacity(users.len());
                for u in users {
                    let id = UserId::new();
                    sqlx::query(
                        "INSERT INTO users (tenant_id, id, login, real_name, display_name, chat_limit, \
                         password_hash, must_change_password, active, sign_in_mode, auto_answer, \
                         created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9, $10, $11, $11)",
                    )
                    .bind(tenant.0)
                    .bind(id.0)
                    .bind(u.login.as_str())
                    .bind(u.real_name.as_str())
                    .bind(u.display_name.as_str())
                    .bind(i64::from(u.chat_limit.get()))
                    .bind(&u.password_hash)
                    .bind(u.must_change_password)
                    .bind(u.agent_params.sign_in_mode.code())
                    .bind(u.agent_params.auto_answer)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    Self::insert_user_roles(&mut tx, tenant, id.0, &u.role_ids).await?;
                    ids.push(id);
                }
                tx.commit().await?;
                let mut created = Vec::with_capacity(ids.len());
                for id in ids {
                    created.push(self.required_user(tenant, id).await?);
                }
                Ok(created)
            }

            async fn user(&self, tenant: TenantId, id: UserId) -> Result<Option<User>> {
                let row: Option<UserRow> = sqlx::query_as(&format!(
                    "{USER_COLUMNS} WHERE tenant_id = $1 AND id = $2"
                ))
                .bind(tenant.0)
                .bind(id.0)
                .fetch_optional(&self.reader)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let mut roles = self.user_roles(tenant, Some(id)).await?;
                row.into_user(roles.remove(&id.0).unwrap_or_default()).map(Some)
            }

            async fn users(&self, tenant: TenantId) -> Result<Vec<User>> {
                let rows: Vec<UserRow> =
                    sqlx::query_as(&format!("{USER_COLUMNS} WHERE tenant_id = $1 ORDER BY login"))
                        .bind(tenant.0)
                        .fetch_all(&self.reader)
                        .await?;
                let mut roles = self.user_roles(tenant, None).await?;
                rows.into_iter()
                    .map(|r| {
                        let own = roles.remove(&r.id).unwrap_or_default();
                        r.into_user(own)
                    })
                    .collect()
            }

            async fn credentials(
                &self,
                tenant: TenantId,
                login: &LoginName,
            ) -> Result<Option<Credentials>> {
                let row: Option<UserRow> =
                    sqlx::query_as(&format!("{USER_COLUMNS} WHERE tenant_id = $1 AND login = $2"))
                        .bind(tenant.0)
                        .bind(login.as_str())
                        .fetch_optional(&self.reader)
                        .await?;
                let Some(row) = row else { return Ok(None) };
                let password_hash = row.password_hash.clone();
                let id = row.id;
                let mut roles = self.user_roles(tenant, Some(UserId(id))).await?;
                let user = row.into_user(roles.remove(&id).unwrap_or_default())?;
                Ok(Some(Credentials { user, password_hash }))
            }

            async fn update_user(
                &self,
                tenant: TenantId,
                id: UserId,
                patch: &UserPatch,
                now: Millis,
            ) -> Result<User> {
                let mut tx = self.writer.begin().await?;
                let done = sqlx::query(
                    "UPDATE users SET real_name = COALESCE($3, real_name), \
                     display_name = COALESCE($4, display_name), chat_limit = COALESCE($5, chat_limit), \
                     active = COALESCE($6, active), sign_in_mode = COALESCE($7, sign_in_mode), \
                     auto_answer = COALESCE($8, auto_answer), updated_at = $9 \
                     WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant.0)
                .bind(id.0)
                .bind(patch.real_name.as_ref().map(|n| n.as_str()))
                .bind(patch.display_name.as_ref().map(|n| n.as_str()))
                .bind(patch.chat_limit.map(|c| i64::from(c.get())))
                .bind(patch.active)
                .bind(patch.agent_params.map(|p| p.sign_in_mode.code()))
                .bind(patch.agent_params.map(|p| p.auto_answer))
                .bind(now)
                .execute(&mut *tx)
                .await?;
                found(done.rows_affected())?;
                if let Some(role_ids) = &patch.role_ids {
                    sqlx::query("DELETE FROM user_roles WHERE tenant_id = $1 AND user_id = $2")
                        .bind(tenant.0)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                    Self::insert_user_roles(&mut tx, tenant, id.0, role_ids).await?;
                }
                if patch.active == Some(false) {
                    sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
                        .bind(tenant.0)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                self.required_user(tenant, id).await
            }

            async fn set_password(
                &self,
                tenant: TenantId,
                id: UserId,
                hash: &str,
                must_change: bool,
                now: Millis,
            ) -> Result<()> {
                let mut tx = self.writer.begin().await?;
                let done = sqlx::query(
                    "UPDATE users SET password_hash = $3, must_change_password = $4, updated_at = $5 \
                     WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant.0)
                .bind(id.0)
                .bind(hash)
                .bind(must_change)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                found(done.rows_affected())?;
                tx.commit().await?;
                Ok(())
            }

            async fn roles(&self, tenant: TenantId) -> Result<Vec<Role>> {
                let rows: Vec<RoleRow> = sqlx::query_as(
                    "SELECT id, name, builtin FROM roles WHERE tenant_id = $1 ORDER BY builtin DESC, name",
                )
                .bind(tenant.0)
                .fetch_all(&self.reader)
                .await?;
                let perms: Vec<RolePermissionRow> = sqlx::query_as(
                    "SELECT role_id, permission FROM role_permissions WHERE tenant_id = $1",
                )
                .bind(tenant.0)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter()
                    .map(|r| {
                        let mut permissions: Vec<Permission> =
                            if r.builtin && r.name == BuiltinRole::Admin.name() {
                                Permission::ALL.to_vec()
                            } else {
                                perms
                                    .iter()
                                    .filter(|p| p.role_id == r.id)
                                    .filter_map(|p| Permission::from_code(&p.permission))
                                    .collect()
                            };
                        permissions.sort();
                        Ok(Role {
                            id: RoleId(r.id),
                            name: RoleName::parse(&r.name).map_err(corrupt)?,
                            builtin: r.builtin,
                            permissions,
                        })
                    })
                    .collect()
            }

            async fn role(&self, tenant: TenantId, id: RoleId) -> Result<Option<Role>> {
                Ok(self.roles(tenant).await?.into_iter().find(|r| r.id == id))
            }

            async fn create_role(
                &self,
                tenant: TenantId,
                name: &RoleName,
                permissions: &[Permission],
            ) -> Result<Role> {
                let id = RoleId::new();
                let mut tx = self.writer.begin().await?;
                sqlx::query("INSERT INTO roles (tenant_id, id, name, builtin) VALUES ($1, $2, $3, FALSE)")
                    .bind(tenant.0)
                    .bind(id.0)
                    .bind(name.as_str())
                    .execute(&mut *tx)
                    .await?;
                Self::insert_role_permissions(&mut tx, tenant, id.0, permissions).await?;
                tx.commit().await?;
                self.required_role(tenant, id).await
            }

            async fn update_role(
                &self,
                tenant: TenantId,
                id: RoleId,
                name: Option<&RoleName>,
                permissions: Option<&[Permission]>,
            ) -> Result<Role> {
                let mut tx = self.writer.begin().await?;
                let done = sqlx::query(
                    "UPDATE roles SET name = COALESCE($3, name) WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant.0)
                .bind(id.0)
                .bind(name.map(|n| n.as_str()))
                .execute(&mut *tx)
                .await?;
                found(done.rows_affected())?;
                if let Some(permissions) = permissions {
                    sqlx::query("DELETE FROM role_permissions WHERE tenant_id = $1 AND role_id = $2")
                        .bind(tenant.0)
                        .bind(id.0)
                        .execute(&mut *tx)
                        .await?;
                    Self::insert_role_permissions(&mut tx, tenant, id.0, permissions).await?;
                }
                tx.commit().await?;
                self.required_role(tenant, id).await
            }

            async fn delete_role(&self, tenant: TenantId, id: RoleId) -> Result<()> {
                self.delete_owned("roles", tenant, id.0).await
            }

            async fn create_session(&self, s: &NewSession) -> Result<()> {
                let mut tx = self.writer.begin().await?;
                sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
                    .bind(s.created_at)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO sessions (token_hash, tenant_id, user_id, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(&s.token_hash)
                .bind(s.tenant_id.0)
                .bind(s.user_id.0)
                .bind(s.created_at)
                .bind(s.expires_at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn principal(&self, token_hash: &str, now: Millis) -> Result<Option<Principal>> {
                let row: Option<PrincipalRow> = sqlx::query_as(
                    "SELECT s.tenant_id, t.name AS tenant_name, t.time_zone, s.user_id, u.must_change_password \
                     FROM sessions s \
                     JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id \
                     JOIN tenants t ON t.id = s.tenant_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active",
                )
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.reader)
                .await?;
                let Some(row) = row else { return Ok(None) };
                let codes: Vec<(String,)> = sqlx::query_as(
                    "SELECT DISTINCT rp.permission FROM user_roles ur \
                     JOIN role_permissions rp ON rp.role_id = ur.role_id AND rp.tenant_id = ur.tenant_id \
                     WHERE ur.tenant_id = $1 AND ur.user_id = $2",
                )
                .bind(row.tenant_id)
                .bind(row.user_id)
                .fetch_all(&self.reader)
                .await?;
                let admin: Option<(Uuid,)> = sqlx::query_as(
                    "SELECT r.id FROM user_roles ur \
                     JOIN roles r ON r.id = ur.role_id AND r.tenant_id = ur.tenant_id \
                     WHERE ur.tenant_id = $1 AND ur.user_id = $2 AND r.builtin AND r.name = $3",
                )
                .bind(row.tenant_id)
                .bind(row.user_id)
                .bind(BuiltinRole::Admin.name())
                .fetch_optional(&self.reader)
                .await?;
                // The built-in admin holds every permission, including ones added later.
                let mut permissions: Vec<Permission> = if admin.is_some() {
                    Permission::ALL.to_vec()
                } else {
                    codes.iter().filter_map(|(c,)| Permission::from_code(c)).collect()
                };
                permissions.sort();
                Ok(Some(Principal {
                    tenant_id: TenantId(row.tenant_id),
                    tenant_name: TenantName::parse(&row.tenant_name).map_err(corrupt)?,
                    zone: stored_zone(&row.time_zone)?,
                    user_id: UserId(row.user_id),
                    must_change_password: row.must_change_password,
                    permissions,
                }))
            }

            async fn delete_session(&self, token_hash: &str) -> Result<()> {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn delete_user_sessions(&self, tenant: TenantId, user: UserId) -> Result<()> {
                sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
                    .bind(tenant.0)
                    .bind(user.0)
                    .execute(&self.writer)
                    .await?;
                Ok(())
            }

            async fn skill_queues(&self, tenant: TenantId) -> Result<Vec<SkillQueue>> {
                self.load_queues(tenant, None).await
            }

            async fn skill_queue(&self, tenant: TenantId, id: SkillQueueId) -> Result<Option<SkillQueue>> {
                Ok(self.load_queues(tenant, Some(id)).await?.pop())
            }

            async fn create_skill_queue(
                &self,
                tenant: TenantId,
                spec: &SkillQueueSpec,
                agents: &[QueueAgent],
            ) -> Result<SkillQueue> {
                let id = SkillQueueId::new();
                let mut tx = self.writer.begin().await?;
                sqlx::query(
                    "INSERT INTO skill_queues (tenant_id, id, name, channel, strategy, priority, \
                     max_queue_len, max_wait_s, overflow_queue_id, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 0)",
                )
                .bind(tenant.0)
                .bind(id.0)
                .bind(spec.name.as_str())
                .bind(spec.channel.code())
                .bind(spec.strategy.code())
                .bind(i64::from(spec.priority.get()))
                .bind(spec.max_queue_len.map(i64::from))
                .bind(spec.max_wait_s.map(i64::from))
                .bind(spec.overflow_queue.map(|q| q.0))
                .execute(&mut *tx)
                .await?;
                Self::insert_queue_links(&mut tx, tenant, id.0, Some(&spec.tags), Some(agents)).await?;
                tx.commit().await?;
                self.required_queue(tenant, id).await
            }

            async fn update_skill_queue(
                &self,
                tenant: TenantId,
                id: SkillQueueId,
                spec: &SkillQueueSpec,
            ) -> Result<SkillQueue> {
                let mut tx = self.writer.begin().await?;
                let done = sqlx::query(
                    "UPDATE skill_queues SET name = $3, channel = $4, strategy = $5, priority = $6, \
                     max_queue_len = $7, max_wait_s = $8, overflow_queue_id = $9 \
                     WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant.0)
                .bind(id.0)
                .bind(spec.name.as_str())
                .bind(spec.channel.code())
                .bind(spec.strategy.code())
                .bind(i64::from(spec.priority.get()))
                .bind(spec.max_queue_len.map(i64::from))
                .bind(spec.max_wait_s.map(i64::from))
                .bind(spec.overflow_queue.map(|q| q.0))
                .execute(&mut *tx)
                .await?;
                found(done.rows_affected())?;
                Self::insert_queue_links(&mut tx, tenant, id.0, Some(&spec.tags), None).await?;
                tx.commit().await?;
                self.required_queue(tenant, id).await
            }

            async fn set_queue_agents(
                &self,
                tenant: TenantId,
                id: SkillQueueId,
                agents: &[QueueAgent],
            ) -> Result<SkillQueue> {
                let mut tx = self.writer.begin().await?;
                let exists: Option<(Uuid,)> =
                    sqlx::query_as("SELECT id FROM skill_queues WHERE tenant_id = $1 AND id = $2")
                        .bind(tenant.0)
                        .bind(id.0)
                        .fetch_optional(&mut *tx)
                        .await?;
                if exists.is_none() {
                    return Err(StorageError::NotFound);
                }
                Self::insert_queue_links(&mut tx, tenant, id.0, None, Some(agents)).await?;
                tx.commit().await?;
                self.required_queue(tenant, id).await
            }

            async fn delete_skill_queue(&self, tenant: TenantId, id: SkillQueueId) -> Result<()> {
                self.delete_owned("skill_queues", tenant, id.0).await
            }

            async fn tags(&self, tenant: TenantId) -> Result<Vec<Tag>> {
                let rows: Vec<TagRow> =
                    sqlx::query_as("SELECT id, name FROM tags WHERE tenant_id = $1 ORDER BY name")
                        .bind(tenant.0)
                        .fetch_all(&self.reader)
                        .await?;
                rows.into_iter().map(Tag::try_from).collect()
            }

            async fn create_tag(&self, tenant: TenantId, name: &TagName) -> Result<Tag> {
                let id = TagId::new();
                sqlx::query("INSERT INTO tags (tenant_id, id, name) VALUES ($1, $2, $3)")
                    .bind(tenant.0)
                    .bind(id.0)
                    .bind(name.as_str())
                    .execute(&self.writer)
                    .await?;
                Ok(Tag { id, name: name.clone() })
            }

            async fn delete_tag(&self, tenant: TenantId, id: TagId) -> Result<()> {
                self.delete_owned("tags", tenant, id.0).await
            }

            async fn tenants(&self) -> Result<Vec<Tenant>> {
                let rows: Vec<TenantRow> =
                    sqlx::query_as("SELECT id, name, display_name, created_at FROM tenants ORDER BY name")
                        .fetch_all(&self.reader)
                        .await?;
                rows.into_iter().map(Tenant::try_from).collect()
            }

            async fn apply_engine_batch(&self, tenant: TenantId, batch: &EngineBatch) -> Result<()> {
                if batch.is_empty() {
                    return Ok(());
                }
                let mut tx = self.writer.begin().await?;
                for c in &batch.new_contacts {
                    insert_contact(&mut tx, tenant, c).await?;
                }
                for u in &batch.contact_updates {
                    update_contact(&mut tx, tenant, u).await?;
                }
                for (id, text) in &batch.summaries {
                    sqlx::query("UPDATE contacts SET summary = $3 WHERE tenant_id = $1 AND id = $2")
                        .bind(tenant.0)
                        .bind(id.0)
                        .bind(text)
                        .execute(&mut *tx)
                        .await?;
                }
                for e in &batch.events {
                    sqlx::query(
                        "INSERT INTO engine_events (tenant_id, at, kind, agent_id, contact_id, queue_id, detail) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    )
                    .bind(tenant.0)
                    .bind(e.at)
                    .bind(e.kind)
                    .bind(e.agent.map(|a| a.0))
                    .bind(e.contact.map(|c| c.0))
                    .bind(e.queue.map(|q| q.0))
                    .bind(&e.detail)
                    .execute(&mut *tx)
                    .await?;
                }
                for s in &batch.sessions {
                    let queues: Vec<String> = s.queues.iter().map(|q| q.to_string()).collect();
                    sqlx::query(
                        "INSERT INTO agent_sessions (tenant_id, user_id, queues, presence, reason, since) \
                         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, user_id) DO UPDATE SET \
                         queues = excluded.queues, presence = excluded.presence, reason = excluded.reason, \
                         since = excluded.since",
                    )
                    .bind(tenant.0)
                    .bind(s.agent.0)
                    .bind(queues.join(","))
                    .bind(s.presence.code())
                    .bind(s.reason.as_ref().map(|r| r.as_str()))
                    .bind(s.since)
                    .execute(&mut *tx)
                    .await?;
                }
                for agent in &batch.ended_sessions {
                    sqlx::query("DELETE FROM agent_sessions WHERE tenant_id = $1 AND user_id = $2")
                        .bind(tenant.0)
                        .bind(agent.0)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn open_contacts(&self, tenant: TenantId) -> Result<Vec<StoredContact>> {
                let rows: Vec<ContactRow> = sqlx::query_as(&format!(
                    "{CONTACT_COLUMNS} WHERE tenant_id = $1 AND state <> 'closed' ORDER BY enqueued_at, created_at"
                ))
                .bind(tenant.0)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(StoredContact::try_from).collect()
            }

            async fn stored_contact(&self, tenant: TenantId, id: ContactId) -> Result<Option<StoredContact>> {
                let row: Option<ContactRow> =
                    sqlx::query_as(&format!("{CONTACT_COLUMNS} WHERE tenant_id = $1 AND id = $2"))
                        .bind(tenant.0)
                        .bind(id.0)
                        .fetch_optional(&self.reader)
                        .await?;
                row.map(StoredContact::try_from).transpose()
            }

            async fn agent_sessions(&self, tenant: TenantId) -> Result<Vec<AgentSession>> {
                let rows: Vec<SessionRow> = sqlx::query_as(
                    "SELECT user_id, queues, presence, reason, since FROM agent_sessions WHERE tenant_id = $1",
                )
                .bind(tenant.0)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(AgentSession::try_from).collect()
            }

            async fn last_agent_of_customer(&self, tenant: TenantId, customer: &str) -> Result<Option<UserId>> {
                let row: Option<(Option<Uuid>,)> = sqlx::query_as(
                    "SELECT agent_id FROM contacts WHERE tenant_id = $1 AND customer = $2 \
                     AND agent_id IS NOT NULL ORDER BY updated_at DESC LIMIT 1",
                )
                .bind(tenant.0)
                .bind(customer)
                .fetch_optional(&self.reader)
                .await?;
                Ok(row.and_then(|(a,)| a).map(UserId))
            }

            async fn contact_events(&self, tenant: TenantId, contact: ContactId) -> Result<Vec<EventRecord>> {
                let rows: Vec<EventRow> = sqlx::query_as(
                    "SELECT at, kind, agent_id, contact_id, queue_id, detail FROM engine_events \
                     WHERE tenant_id = $1 AND contact_id = $2 ORDER BY id",
                )
                .bind(tenant.0)
                .bind(contact.0)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| EventRecord {
                        at: r.at,
                        kind: event_kind(&r.kind),
                        agent: r.agent_id.map(UserId),
                        contact: r.contact_id.map(ContactId),
                        queue: r.queue_id.map(SkillQueueId),
                        detail: r.detail,
                    })
                    .collect())
            }

            async fn customer_contacts(&self, tenant: TenantId, customer: &str, limit: u32) -> Result<Vec<StoredContact>> {
                let rows: Vec<ContactRow> = sqlx::query_as(&format!(
                    "{CONTACT_COLUMNS} WHERE tenant_id = $1 AND customer = $2 ORDER BY created_at DESC LIMIT $3"
                ))
                .bind(tenant.0)
                .bind(customer)
                .bind(i64::from(limit))
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(StoredContact::try_from).collect()
            }

            async fn create_chat_entry(&self, tenant: TenantId, e: &ChatEntry, now: Millis) -> Result<()> {
                sqlx::query(
                    "INSERT INTO chat_entries (tenant_id, id, name, title, queue_id, prechat_form, identity_secret, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(tenant.0)
                .bind(e.id.0)
                .bind(e.name.as_str())
                .bind(&e.title)
                .bind(e.queue.0)
                .bind(e.prechat_form)
                .bind(&e.identity_secret)
                .bind(now)
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn chat_entry(&self, tenant: TenantId, name: &switchboard_engine::chat::EntryName) -> Result<Option<ChatEntry>> {
                let row: Option<ChatEntryRow> = sqlx::query_as(
                    "SELECT id, name, title, queue_id, prechat_form, identity_secret FROM chat_entries \
                     WHERE tenant_id = $1 AND name = $2",
                )
                .bind(tenant.0)
                .bind(name.as_str())
                .fetch_optional(&self.reader)
                .await?;
                row.map(ChatEntry::try_from).transpose()
            }

            async fn chat_entries(&self, tenant: TenantId) -> Result<Vec<ChatEntry>> {
                let rows: Vec<ChatEntryRow> = sqlx::query_as(
                    "SELECT id, name, title, queue_id, prechat_form, identity_secret FROM chat_entries \
                     WHERE tenant_id = $1 ORDER BY name",
                )
                .bind(tenant.0)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(ChatEntry::try_from).collect()
            }

            async fn delete_chat_entry(&self, tenant: TenantId, id: switchboard_engine::ChatEntryId) -> Result<()> {
                self.delete_owned("chat_entries", tenant, id.0).await
            }

            async fn upsert_customer(
                &self,
                tenant: TenantId,
                identity: &str,
                verified: bool,
                d: &CustomerDetails,
                now: Millis,
            ) -> Result<Customer> {
                let mut tx = self.writer.begin().await?;
                sqlx::query(
                    "INSERT INTO customers (tenant_id, id, identity, verified, name, phone, email, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) ON CONFLICT (tenant_id, identity) DO UPDATE SET \
                     name = COALESCE(excluded.name, customers.name), phone = COALESCE(excluded.phone, customers.phone), \
                     email = COALESCE(excluded.email, customers.email), updated_at = excluded.updated_at",
                )
                .bind(tenant.0)
                .bind(CustomerId::new().0)
                .bind(identity)
                .bind(verified)
                .bind(&d.name)
                .bind(&d.phone)
                .bind(&d.email)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let row: CustomerRow = sqlx::query_as(
                    "SELECT id, identity, verified, name, phone, email FROM customers WHERE tenant_id = $1 AND identity = $2",
                )
                .bind(tenant.0)
                .bind(identity)
                .fetch_one(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(row.into())
            }

            async fn customer(&self, tenant: TenantId, id: CustomerId) -> Result<Option<Customer>> {
                let row: Option<CustomerRow> = sqlx::query_as(
                    "SELECT id, identity, verified, name, phone, email FROM customers WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant.0)
                .bind(id.0)
                .fetch_optional(&self.reader)
                .await?;
                Ok(row.map(Customer::from))
            }

            async fn append_chat_messages(&self, tenant: TenantId, messages: &[NewChatMessage]) -> Result<Vec<ChatMessage>> {
                let mut tx = self.writer.begin().await?;
                let mut stored = Vec::with_capacity(messages.len());
                for m in messages {
                    if let Some(client_id) = &m.client_id {
                        let existing = message_by_client_id(&mut *tx, tenant, m.contact, m.sender, client_id).await?;
                        if let Some(earlier) = existing {
                            stored.push(earlier);
                            continue;
                        }
                    }
                    let seq: i64 = sqlx::query_scalar(
                        "SELECT COALESCE(MAX(seq), 0) + 1 FROM chat_messages WHERE tenant_id = $1 AND contact_id = $2",
                    )
                    .bind(tenant.0)
                    .bind(m.contact.0)
                    .fetch_one(&mut *tx)
                    .await?;
                    sqlx::query(
                        "INSERT INTO chat_messages (tenant_id, id, contact_id, seq, sender, agent_id, client_id, kind, body, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(tenant.0)
                    .bind(m.id.0)
                    .bind(m.contact.0)
                    .bind(seq)
                    .bind(m.sender.code())
                    .bind(m.agent.map(|a| a.0))
                    .bind(&m.client_id)
                    .bind(m.kind.code())
                    .bind(&m.body)
                    .bind(m.created_at)
                    .execute(&mut *tx)
                    .await?;
                    stored.push(ChatMessage {
                        id: m.id,
                        contact: m.contact,
                        seq,
                        sender: m.sender,
                        agent: m.agent,
                        client_id: m.client_id.clone(),
                        kind: m.kind,
                        body: m.body.clone(),
                        created_at: m.created_at,
                        recalled_at: None,
                    });
                }
                tx.commit().await?;
                Ok(stored)
            }

            async fn chat_messages(&self, tenant: TenantId, contact: ContactId, after_seq: i64, limit: u32) -> Result<Vec<ChatMessage>> {
                let rows: Vec<ChatMessageRow> = sqlx::query_as(&format!(
                    "{MESSAGE_COLUMNS} WHERE tenant_id = $1 AND contact_id = $2 AND seq > $3 ORDER BY seq LIMIT $4"
                ))
                .bind(tenant.0)
                .bind(contact.0)
                .bind(after_seq)
                .bind(i64::from(limit))
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(ChatMessage::try_from).collect()
            }

            async fn recalled_chat_messages(&self, tenant: TenantId, contact: ContactId, up_to_seq: i64) -> Result<Vec<ChatMessage>> {
                let rows: Vec<ChatMessageRow> = sqlx::query_as(&format!(
                    "{MESSAGE_COLUMNS} WHERE tenant_id = $1 AND contact_id = $2 AND seq <= $3 AND recalled_at IS NOT NULL ORDER BY seq"
                ))
                .bind(tenant.0)
                .bind(contact.0)
                .bind(up_to_seq)
                .fetch_all(&self.reader)
                .await?;
                rows.into_iter().map(ChatMessage::try_from).collect()
            }

            async fn chat_message_by_client_id(&self, tenant: TenantId, contact: ContactId, sender: Sender, client_id: &str) -> Result<Option<ChatMessage>> {
                message_by_client_id(&self.reader, tenant, contact, sender, client_id).await
            }

            async fn chat_message(&self, tenant: TenantId, id: MessageId) -> Result<Option<ChatMessage>> {
                let row: Option<ChatMessageRow> =
                    sqlx::query_as(&format!("{MESSAGE_COLUMNS} WHERE tenant_id = $1 AND id = $2"))
                        .bind(tenant.0)
                        .bind(id.0)
                        .fetch_optional(&self.reader)
                        .await?;
                row.map(ChatMessage::try_from).transpose()
            }

            async fn recall_chat_message(&self, tenant: TenantId, id: MessageId, at: Millis) -> Result<()> {
                let done = sqlx::query(
                    "UPDATE chat_messages SET recalled_at = $3 WHERE tenant_id = $1 AND id = $2 AND recalled_at IS NULL",
                )
                .bind(tenant.0)
                .bind(id.0)
                .bind(at)
                .execute(&self.writer)
                .await?;
                found(done.rows_affected())
            }

            async fn rate_contact(&self, tenant: TenantId, id: ContactId, score: u8, comment: Option<&str>) -> Result<()> {
                let done = sqlx::query(
                    "UPDATE contacts SET rating = $3, rating_comment = $4 WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant.0)
                .bind(id.0)
                .bind(i64::from(score))
                .bind(comment)
                .execute(&self.writer)
                .await?;
                found(done.rows_affected())
            }

            async fn canned_replies(&self, tenant: TenantId, user: UserId) -> Result<Vec<CannedReply>> {
                let rows: Vec<CannedReplyRow> = sqlx::query_as(
                    "SELECT id, owner_id, title, body FROM canned_replies \
                     WHERE tenant_id = $1 AND (owner_id IS NULL OR owner_id = $2) ORDER BY title",
                )
                .bind(tenant.0)
                .bind(user.0)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows.into_iter().map(CannedReply::from).collect())
            }

            async fn create_canned_reply(&self, tenant: TenantId, r: &CannedReply, now: Millis) -> Result<()> {
                sqlx::query(
                    "INSERT INTO canned_replies (tenant_id, id, owner_id, title, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(tenant.0)
                .bind(r.id.0)
                .bind(r.owner.map(|o| o.0))
                .bind(&r.title)
                .bind(&r.text)
                .bind(now)
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn delete_canned_reply(&self, tenant: TenantId, id: switchboard_engine::CannedReplyId) -> Result<()> {
                self.delete_owned("canned_replies", tenant, id.0).await
            }

            async fn documents(&self, tenant: TenantId) -> Result<Vec<Document>> {
                let rows: Vec<DocumentRow> = sqlx::query_as(
                    "SELECT id, title, url, description FROM documents WHERE tenant_id = $1 ORDER BY title",
                )
                .bind(tenant.0)
                .fetch_all(&self.reader)
                .await?;
                Ok(rows.into_iter().map(Document::from).collect())
            }

            async fn create_document(&self, tenant: TenantId, d: &Document, now: Millis) -> Result<()> {
                sqlx::query(
                    "INSERT INTO documents (tenant_id, id, title, url, description, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(tenant.0)
                .bind(d.id.0)
                .bind(&d.title)
                .bind(&d.url)
                .bind(&d.description)
                .bind(now)
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn delete_document(&self, tenant: TenantId, id: switchboard_engine::DocumentId) -> Result<()> {
                self.delete_owned("documents", tenant, id.0).await
            }

            async fn store_file(&self, tenant: TenantId, f: &StoredFile) -> Result<()> {
                sqlx::query(
                    "INSERT INTO files (tenant_id, id, contact_id, name, content_type, size, access_key, data, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(tenant.0)
                .bind(f.id.0)
                .bind(f.contact.0)
                .bind(&f.name)
                .bind(&f.content_type)
                .bind(f.size)
                .bind(&f.access_key)
                .bind(&f.data)
                .bind(f.created_at)
                .execute(&self.writer)
                .await?;
                Ok(())
            }

            async fn file(&self, tenant: TenantId, id: switchboard_engine::FileId) -> Result<Option<StoredFile>> {
                let row: Option<FileRow> = sqlx::query_as(
                    "SELECT id, contact_id, name, content_type, size, access_key, data, created_at FROM files \
                     WHERE tenant_id = $1 AND id = $2",
                )
                .bind(tenant.0)
                .bind(id.0)
                .fetch_optional(&self.reader)
                .await?;
                Ok(row.map(StoredFile::from))
            }
        }

        const MESSAGE_COLUMNS: &str = "SELECT id, contact_id, seq, sender, agent_id, client_id, kind, body, \
            created_at, recalled_at FROM chat_messages";

        const CONTACT_COLUMNS: &str = "SELECT id, channel, direction, queue_id, priority, customer, title, link, \
            data, state, agent_id, offer_expires_at, created_at, enqueued_at, closed_at, outcome, summary, \
            summary_saved, rating, rating_comment FROM contacts";

        async fn insert_contact(tx: &mut Tx<'_>, tenant: TenantId, c: &StoredContact) -> Result<()> {
            sqlx::query(
                "INSERT INTO contacts (tenant_id, id, channel, direction, queue_id, priority, customer, title, \
                 link, data, state, agent_id, offer_expires_at, created_at, enqueued_at, updated_at, closed_at, \
                 outcome, summary, summary_saved) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14, $16, $17, $18, $19)",
            )
            .bind(tenant.0)
            .bind(c.id.0)
            .bind(c.channel.code())
            .bind(c.direction.code())
            .bind(c.queue.0)
            .bind(i64::from(c.priority.get()))
            .bind(&c.customer)
            .bind(&c.title)
            .bind(&c.link)
            .bind(&c.data)
            .bind(c.state.code())
            .bind(c.agent.map(|a| a.0))
            .bind(c.offer_expires_at)
            .bind(c.created_at)
            .bind(c.enqueued_at)
            .bind(c.closed_at)
            .bind(c.outcome.map(|o| o.code()))
            .bind(&c.summary)
            .bind(c.summary_saved)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        async fn update_contact(tx: &mut Tx<'_>, tenant: TenantId, u: &ContactUpdate) -> Result<()> {
            sqlx::query(
                "UPDATE contacts SET state = $3, queue_id = COALESCE($4, queue_id), agent_id = COALESCE($5, agent_id), \
                 offer_expires_at = $6, closed_at = $7, outcome = $8, summary_saved = COALESCE($9, summary_saved), \
                 updated_at = $10 \
                 WHERE tenant_id = $1 AND id = $2",
            )
            .bind(tenant.0)
            .bind(u.id.0)
            .bind(u.state.code())
            .bind(u.queue.map(|q| q.0))
            .bind(u.agent.map(|a| a.0))
            .bind(u.offer_expires_at)
            .bind(u.closed_at)
            .bind(u.outcome.map(|o| o.code()))
            .bind(u.summary_saved)
            .bind(u.updated_at)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        const USER_COLUMNS: &str = "SELECT id, tenant_id, login, real_name, display_name, chat_limit, \
            active, must_change_password, sign_in_mode, auto_answer, created_at, password_hash FROM users";

        /// `NotFound` unless a statement touched a row.
        fn found(rows_affected: u64) -> Result<()> {
            if rows_affected == 0 {
                Err(StorageError::NotFound)
            } else {
                Ok(())
            }
        }

        /// Inserts or replaces a tenant's parameters.
        async fn write_params(tx: &mut Tx<'_>, tenant: TenantId, p: &TenantParams) -> Result<()> {
            sqlx::query(
                "INSERT INTO tenant_params (tenant_id, post_sign_in_state, sign_in_mode, auto_answer, \
                 wrap_up_limit_s, summary_required, offer_timeout_s, no_answer_limit, chat_during_call, \
                 task_limit, familiar_wait_s, recall_limit_s) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (tenant_id) DO UPDATE SET \
                 post_sign_in_state = excluded.post_sign_in_state, sign_in_mode = excluded.sign_in_mode, \
                 auto_answer = excluded.auto_answer, wrap_up_limit_s = excluded.wrap_up_limit_s, \
                 summary_required = excluded.summary_required, offer_timeout_s = excluded.offer_timeout_s, \
                 no_answer_limit = excluded.no_answer_limit, chat_during_call = excluded.chat_during_call, \
                 task_limit = excluded.task_limit, familiar_wait_s = excluded.familiar_wait_s, \
                 recall_limit_s = excluded.recall_limit_s",
            )
            .bind(tenant.0)
            .bind(p.post_sign_in_state.code())
            .bind(p.sign_in_mode.code())
            .bind(p.auto_answer)
            .bind(i64::from(p.wrap_up_limit.get()))
            .bind(p.summary_required)
            .bind(i64::from(p.offer_timeout.get()))
            .bind(i64::from(p.no_answer_limit.get()))
            .bind(p.chat_during_call)
            .bind(i64::from(p.task_limit.get()))
            .bind(i64::from(p.familiar_wait.get()))
            .bind(i64::from(p.recall_limit.get()))
            .execute(&mut **tx)
            .await?;
            Ok(())
        }
    };
}

pub(crate) use impl_storage;
