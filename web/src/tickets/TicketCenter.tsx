// The ticket center (/tickets): tabs with counts and saved views, quick / full-text search,
// advanced filters, the list with "load more", export, import and "new ticket".
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App as AntApp, Badge, Button, Card, Dropdown, Input, Popconfirm, Space, Tabs, Tooltip, Typography } from 'antd';
import {
  DeleteOutlined, DownloadOutlined, EyeOutlined, FilterOutlined, ReloadOutlined, SaveOutlined, TeamOutlined, UploadOutlined,
} from '@ant-design/icons';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { errorText } from '../api/errors';
import { useAuth } from '../auth/AuthContext';
import { useI18n, useT } from '../i18n';
import { saveBlob } from '../util/download';
import { throttle } from '../util/throttle';
import { useLive } from '../util/useLive';
import { ticketsApi } from './api';
import { CreateTicketButton } from './CreateTicketButton';
import { ticketPath, touchesTickets } from './events';
import FilterDrawer from './FilterDrawer';
import ImportDialog from './ImportDialog';
import { activeFilterCount, exportFileName, fromViewFilters, isTab } from './query';
import SaveViewModal from './SaveViewModal';
import TicketTable from './TicketTable';
import { TICKET_TABS, type TicketCounts, type TicketFilters, type TicketSort, type TicketTab, type TicketView } from './types';
import { useTicketList } from './useTicketList';
import { useTicketMeta } from './useTicketMeta';
import './tickets.css';

const DEFAULT_TAB: TicketTab = 'processing';
const COUNTS_EVERY_MS = 30_000;

export default function TicketCenter() {
  const t = useT();
  const { lang } = useI18n();
  const { me, hasPermission } = useAuth();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const meta = useTicketMeta();
  const [params, setParams] = useSearchParams();

  const canAll = hasPermission('tickets.view_all');
  const canManage = hasPermission('tickets.manage');
  const canImport = hasPermission('tickets.import_export');
  const tabs = useMemo(() => TICKET_TABS.filter((x) => x !== 'all' || canAll), [canAll]);

  // ---- saved views ----
  const [views, setViews] = useState<TicketView[]>([]);
  const [viewsLoaded, setViewsLoaded] = useState(false);
  const loadViews = useCallback(async () => {
    try {
      setViews(await ticketsApi.views());
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setViewsLoaded(true);
    }
  }, [message, t]);
  useEffect(() => {
    void loadViews();
  }, [loadViews]);

  // ---- where we are: a built-in tab or a view ----
  const viewId = params.get('view');
  const tabParam = params.get('tab');
  const activeView = viewId ? views.find((v) => v.id === viewId) : undefined;
  const [filters, setFilters] = useState<TicketFilters>({});
  const [sort, setSort] = useState<TicketSort | null>(null);
  const [appliedView, setAppliedView] = useState<string | null>(null);
  const viewTab = activeView ? fromViewFilters(activeView.filters).tab : undefined;
  const tab: TicketTab | undefined = viewId ? (viewTab && tabs.includes(viewTab) ? viewTab : canAll ? 'all' : undefined) : isTab(tabParam) && tabs.includes(tabParam) ? tabParam : DEFAULT_TAB;

  useEffect(() => {
    if (!viewId) {
      setAppliedView(null);
      return;
    }
    if (activeView && appliedView !== activeView.id) {
      setFilters(fromViewFilters(activeView.filters).filters);
      setSort(activeView.sort?.field ? activeView.sort : null);
      setAppliedView(activeView.id);
    } else if (viewsLoaded && !activeView) {
      setParams({ tab: DEFAULT_TAB }, { replace: true }); // the view is gone
    }
  }, [viewId, activeView, appliedView, viewsLoaded, setParams]);

  const listReady = !viewId || appliedView === viewId;
  const list = useTicketList({ tab, filters, sort }, listReady);

  // ---- counts: now, every 30 s, on ticket events and after changes ----
  const [counts, setCounts] = useState<TicketCounts>({});
  const [countsError, setCountsError] = useState(false);
  const loadCounts = useCallback(async () => {
    try {
      setCounts(await ticketsApi.counts());
      setCountsError(false);
    } catch {
      setCountsError(true);
    }
  }, []);
  const countsSoon = useMemo(() => throttle(loadCounts, 2000), [loadCounts]);
  useEffect(() => {
    void loadCounts();
    const id = window.setInterval(() => void loadCounts(), COUNTS_EVERY_MS);
    return () => {
      window.clearInterval(id);
      countsSoon.cancel();
    };
  }, [loadCounts, countsSoon]);
  useLive({
    onConnected: () => countsSoon(),
    onEvent: (e) => {
      if (touchesTickets(e)) countsSoon();
    },
  });

  const refreshAll = () => {
    list.reload();
    void loadCounts();
  };

  // ---- search boxes ----
  const [qDraft, setQDraft] = useState(filters.q ?? '');
  const [textDraft, setTextDraft] = useState(filters.text ?? '');
  const lastFilters = useRef(filters);
  useEffect(() => {
    if (lastFilters.current.q !== filters.q) setQDraft(filters.q ?? '');
    if (lastFilters.current.text !== filters.text) setTextDraft(filters.text ?? '');
    lastFilters.current = filters;
  }, [filters]);

  const [drawer, setDrawer] = useState(false);
  const [saving, setSaving] = useState(false);
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState<'xlsx' | 'csv' | null>(null);

  const goTab = (key: string) => {
    if (key.startsWith('view:')) {
      setParams({ view: key.slice(5) });
      return;
    }
    if (viewId) {
      setFilters({});
      setSort(null);
    }
    setParams({ tab: key.slice(4) });
  };

  const exportAs = async (format: 'xlsx' | 'csv') => {
    setExporting(format);
    try {
      const blob = await ticketsApi.exportFile(format, lang, tab, filters, sort);
      saveBlob(blob, exportFileName(format));
    } catch (e) {
      message.error(errorText(e, t));
    } finally {
      setExporting(null);
    }
  };

  const deleteView = async (v: TicketView) => {
    try {
      await ticketsApi.deleteView(v.id);
      message.success(t('common.deleted'));
      setFilters({});
      setSort(null);
      setParams({ tab: DEFAULT_TAB });
      void loadViews();
    } catch (e) {
      message.error(errorText(e, t));
    }
  };

  // The server lets the owner delete a view, and anyone with tickets.manage delete a shared one.
  const canDeleteView = (v: TicketView) => v.owner_id === me?.id || (v.shared && canManage);
  const nFilters = activeFilterCount(filters);

  const tabItems = [
    ...tabs.map((k) => {
      const n = counts[k];
      return {
        key: `tab:${k}`,
        label: (
          <span data-testid={`ticket-tab-${k}`}>
            {t(`tk.tab.${k}`)}
            <Badge
              count={n ?? 0}
              showZero
              overflowCount={99999}
              size="small"
              className="tk-tab-count"
              color={k === 'unassigned' && (n ?? 0) > 0 ? '#fa541c' : n ? '#1677ff' : '#bfbfbf'}
              data-testid={`ticket-count-${k}`}
              data-count={n ?? ''}
            />
          </span>
        ),
      };
    }),
    ...views.map((v) => ({
      key: `view:${v.id}`,
      label: (
        <span data-testid={`ticket-view-tab-${v.name}`}>
          <EyeOutlined /> {v.name}
          {v.shared && (
            <Tooltip title={t('tk.view.sharedTag')}>
              <TeamOutlined style={{ marginInlineStart: 6, color: '#8c8c8c' }} />
            </Tooltip>
          )}
        </span>
      ),
    })),
  ];

  return (
    <Card
      title={t('tk.title')}
      data-testid="ticket-center"
      extra={
        <Space wrap>
          <Tooltip title={t('common.refresh')}>
            <Button icon={<ReloadOutlined />} onClick={refreshAll} aria-label={t('common.refresh')} data-testid="ticket-refresh" />
          </Tooltip>
          {canImport && (
            <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="ticket-import">
              {t('tk.import.button')}
            </Button>
          )}
          <CreateTicketButton
            type="primary"
            onCreated={(created) => {
              refreshAll();
              navigate(ticketPath(created.id));
            }}
          />
        </Space>
      }
    >
      <Tabs activeKey={viewId ? `view:${viewId}` : `tab:${tab}`} onChange={goTab} items={tabItems} className="tk-tabs" />
      {countsError && <Typography.Text type="secondary" className="tk-counts-error">{t('tk.list.countsFailed')}</Typography.Text>}
      <div className="tk-toolbar">
        <Space wrap>
          <Input.Search
            allowClear
            value={qDraft}
            onChange={(e) => setQDraft(e.target.value)}
            onSearch={(v) => setFilters((f) => ({ ...f, q: v.trim() || undefined }))}
            placeholder={t('tk.search.quick')}
            maxLength={100}
            style={{ width: 300 }}
            data-testid="ticket-search-q"
          />
          <Input.Search
            allowClear
            value={textDraft}
            onChange={(e) => setTextDraft(e.target.value)}
            onSearch={(v) => setFilters((f) => ({ ...f, text: v.trim() || undefined }))}
            placeholder={t('tk.search.text')}
            maxLength={200}
            style={{ width: 280 }}
            data-testid="ticket-search-text"
          />
          <Badge count={nFilters} size="small">
            <Button icon={<FilterOutlined />} onClick={() => setDrawer(true)} data-testid="ticket-filter">
              {t('tk.filter.button')}
            </Button>
          </Badge>
          {nFilters > 0 && (
            <Button type="link" onClick={() => setFilters((f) => ({ q: f.q, text: f.text }))} data-testid="ticket-filter-clear">
              {t('tk.filter.clear')}
            </Button>
          )}
        </Space>
        <Space wrap>
          <Button icon={<SaveOutlined />} onClick={() => setSaving(true)} data-testid="ticket-view-save">
            {t('tk.view.save')}
          </Button>
          {activeView && canDeleteView(activeView) && (
            <Popconfirm
              title={t('tk.view.confirmDelete', { name: activeView.name })}
              onConfirm={() => deleteView(activeView)}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
            >
              <Button danger icon={<DeleteOutlined />} data-testid="ticket-view-delete">
                {t('tk.view.delete')}
              </Button>
            </Popconfirm>
          )}
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'xlsx', label: <span data-testid="ticket-export-xlsx">{t('tk.export.xlsx')}</span> },
                { key: 'csv', label: <span data-testid="ticket-export-csv">{t('tk.export.csv')}</span> },
              ],
              onClick: ({ key }) => void exportAs(key as 'xlsx' | 'csv'),
            }}
          >
            <Button icon={<DownloadOutlined />} loading={exporting !== null} data-testid="ticket-export">
              {t('tk.export.button')}
            </Button>
          </Dropdown>
        </Space>
      </div>
      {list.error != null && (
        <Alert
          type="error"
          showIcon
          message={errorText(list.error, t)}
          action={<Button size="small" onClick={list.reload}>{t('common.refresh')}</Button>}
          style={{ marginBottom: 12 }}
          data-testid="ticket-list-error"
        />
      )}
      {meta.error != null && <Alert type="warning" showIcon message={errorText(meta.error, t)} style={{ marginBottom: 12 }} />}
      <TicketTable
        rows={list.rows}
        loading={list.loading || !listReady}
        meta={meta}
        sort={sort}
        onSort={setSort}
      />
      <div className="tk-more">
        {list.nextCursor ? (
          <Button onClick={list.loadMore} loading={list.loadingMore} data-testid="ticket-load-more">
            {t('tk.list.more')}
          </Button>
        ) : (
          list.rows.length > 0 && <Typography.Text type="secondary">{t('tk.list.end', { n: list.rows.length })}</Typography.Text>
        )}
      </div>
      <FilterDrawer open={drawer} filters={filters} meta={meta} onClose={() => setDrawer(false)} onApply={setFilters} />
      <SaveViewModal
        open={saving}
        tab={tab}
        filters={filters}
        sort={sort}
        canShare={canManage}
        onClose={() => setSaving(false)}
        onSaved={(v) => {
          setSaving(false);
          message.success(t('tk.view.saved'));
          setViews((old) => [...old.filter((x) => x.id !== v.id), v]);
          setAppliedView(v.id);
          setParams({ view: v.id });
        }}
      />
      {canImport && importing && <ImportDialog open meta={meta} onClose={() => setImporting(false)} onImported={refreshAll} />}
    </Card>
  );
}
