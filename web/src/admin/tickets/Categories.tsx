// Ticket categories (T1): a tree; add a child, rename, move under another parent, delete (refused
// with 409 `in_use` while it has sub-categories or tickets).
import { useMemo, useRef, useState, type Key } from 'react';
import { Alert, App as AntApp, Button, Card, Empty, Form, Input, Popconfirm, Space, Spin, Tooltip, Tree, TreeSelect, Typography } from 'antd';
import { DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { ApiError } from '../../api/client';
import { errorDetail, errorText } from '../../api/errors';
import { useT } from '../../i18n';
import { useLoad } from '../../util/useLoad';
import FormModal from '../../components/FormModal';
import { ticketConfigApi } from './api';
import { categoryNodes, categoryPath, categoryTree, descendants, nextPosition, type CategoryNode } from '../../tickets/categories';
import type { TicketCategory } from '../../tickets/types';
import './ticketAdmin.css';

interface TreeNode {
  key: string;
  title: React.ReactNode;
  children: TreeNode[];
}

type Dialog =
  | { mode: 'add'; parent: string | null }
  | { mode: 'rename'; category: TicketCategory }
  | { mode: 'move'; category: TicketCategory };

interface CategoryForm {
  name: string;
  parent_id?: string | null;
}

export default function TicketCategoriesPage() {
  const t = useT();
  const { message, modal } = AntApp.useApp();
  const cats = useLoad<TicketCategory[]>(() => ticketConfigApi.categories(), []);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [expanded, setExpanded] = useState<Key[] | null>(null);

  const list = cats.data;
  const parents = useMemo(() => [...new Set(list.map((c) => c.parent_id).filter((p): p is string => !!p))], [list]);
  const expandedKeys = expanded ?? parents;

  const remove = async (c: TicketCategory) => {
    try {
      await ticketConfigApi.deleteCategory(c.id);
      message.success(t('common.deleted'));
      void cats.reload();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'in_use') {
        const hasChildren = list.some((x) => x.parent_id === c.id);
        modal.error({
          title: t('tkcfg.cat.inUseTitle', { name: c.name }),
          content: (
            <div data-testid="category-in-use">
              <p>{hasChildren ? t('tkcfg.cat.inUseChildren') : t('tkcfg.cat.inUseTickets')}</p>
              <Typography.Text type="secondary">{errorDetail(e, t)}</Typography.Text>
            </div>
          ),
          okText: t('common.ok'),
        });
      } else {
        message.error(errorText(e, t));
      }
    }
  };

  const toTreeData = (nodes: CategoryNode[]): TreeNode[] =>
    nodes.map((n) => ({
      key: n.key,
      title: (
        <span className="tkcfg-cat-node" data-testid={`category-${n.category.name}`}>
          <span className="tkcfg-cat-name">{n.category.name}</span>
          <Space size={0} className="tkcfg-cat-actions" onClick={(e) => e.stopPropagation()}>
            <Tooltip title={t('tkcfg.cat.addChild')}>
              <Button type="link" size="small" icon={<PlusOutlined />} onClick={() => setDialog({ mode: 'add', parent: n.key })} data-testid={`category-add-${n.category.name}`} />
            </Tooltip>
            <Tooltip title={t('tkcfg.cat.rename')}>
              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setDialog({ mode: 'rename', category: n.category })} data-testid={`category-rename-${n.category.name}`} />
            </Tooltip>
            <Tooltip title={t('tkcfg.cat.move')}>
              <Button type="link" size="small" icon={<DragOutlined />} onClick={() => setDialog({ mode: 'move', category: n.category })} data-testid={`category-move-${n.category.name}`} />
            </Tooltip>
            <Popconfirm
              title={t('tkcfg.cat.confirmDelete', { name: n.category.name })}
              onConfirm={() => remove(n.category)}
              okText={t('common.ok')}
              cancelText={t('common.cancel')}
            >
              <Tooltip title={t('common.delete')}>
                <Button type="link" size="small" danger icon={<DeleteOutlined />} data-testid={`category-delete-${n.category.name}`} />
              </Tooltip>
            </Popconfirm>
          </Space>
        </span>
      ),
      children: toTreeData(n.children),
    }));

  const treeData = toTreeData(categoryNodes(list));

  return (
    <Card
      title={t('tkcfg.cat.title')}
      extra={
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void cats.reload()}>{t('common.refresh')}</Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ mode: 'add', parent: null })} data-testid="category-add-root">
            {t('tkcfg.cat.addRoot')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">{t('tkcfg.cat.help')}</Typography.Paragraph>
      {cats.error != null && <Alert type="error" showIcon message={errorText(cats.error, t)} style={{ marginBottom: 16 }} />}
      <Spin spinning={cats.loading}>
        {list.length === 0 && !cats.loading ? (
          <Empty description={t('tkcfg.cat.empty')} />
        ) : (
          <Tree
            className="tkcfg-cat-tree"
            blockNode
            showLine
            selectable={false}
            treeData={treeData}
            expandedKeys={expandedKeys}
            onExpand={(keys) => setExpanded(keys)}
            data-testid="category-tree"
          />
        )}
      </Spin>
      <CategoryModal
        dialog={dialog}
        list={list}
        onClose={() => setDialog(null)}
        onDone={(parent) => {
          if (parent && !expandedKeys.includes(parent)) setExpanded([...expandedKeys, parent]);
          void cats.reload();
        }}
      />
    </Card>
  );
}

function CategoryModal({ dialog, list, onClose, onDone }: {
  dialog: Dialog | null;
  list: TicketCategory[];
  onClose: () => void;
  onDone: (parent: string | null) => void;
}) {
  const t = useT();
  // The parent the last save put a category under (to expand it); a ref, read right after submit.
  const doneParent = useRef<string | null>(null);
  const editing = dialog && dialog.mode !== 'add' ? dialog.category : null;
  const exclude = editing ? [editing.id, ...descendants(list, editing.id)] : [];
  const parentData = categoryTree(list, exclude);

  const submit = async (v: CategoryForm) => {
    if (!dialog) return false;
    const name = (v.name ?? editing?.name ?? '').trim();
    if (dialog.mode === 'add') {
      const parent = v.parent_id ?? null;
      await ticketConfigApi.createCategory({ name, parent_id: parent, position: nextPosition(list, parent) });
      doneParent.current = parent;
    } else if (dialog.mode === 'rename') {
      const c = dialog.category;
      await ticketConfigApi.updateCategory(c.id, { name, parent_id: c.parent_id, position: c.position });
      doneParent.current = null;
    } else {
      const c = dialog.category;
      const parent = v.parent_id ?? null;
      const position = parent === c.parent_id ? c.position : nextPosition(list, parent, c.id);
      await ticketConfigApi.updateCategory(c.id, { name: c.name, parent_id: parent, position });
      doneParent.current = parent;
    }
  };

  const title = !dialog
    ? ''
    : dialog.mode === 'add'
    ? (dialog.parent ? t('tkcfg.cat.addChildTo', { name: categoryPath(list, dialog.parent) }) : t('tkcfg.cat.addRoot'))
    : dialog.mode === 'rename'
      ? t('tkcfg.cat.renameTitle', { name: dialog.category.name })
      : t('tkcfg.cat.moveTitle', { name: dialog.category.name });

  return (
    <FormModal<CategoryForm>
      open={!!dialog}
      formKey={dialog ? `${dialog.mode}:${editing?.id ?? (dialog.mode === 'add' ? dialog.parent : '') ?? 'root'}` : ''}
      title={title}
      okTestId="category-form-submit"
      successText={dialog?.mode === 'add' ? t('common.created') : t('common.saved')}
      initialValues={
        !dialog || dialog.mode === 'add'
          ? { name: '', parent_id: dialog?.parent ?? null }
          : { name: dialog.category.name, parent_id: dialog.category.parent_id }
      }
      onSubmit={submit}
      onClose={onClose}
      onDone={() => onDone(doneParent.current)}
    >
      {dialog?.mode !== 'move' && (
        <Form.Item
          name="name"
          label={t('tkcfg.cat.name')}
          rules={[{ required: true, whitespace: true, message: t('tkcfg.cat.nameRequired') }, { max: 64, message: t('tkcfg.problem.labelLength') }]}
        >
          <Input maxLength={64} autoFocus data-testid="category-form-name" />
        </Form.Item>
      )}
      {dialog && dialog.mode !== 'rename' && (
        <Form.Item name="parent_id" label={t('tkcfg.cat.parent')} extra={t('tkcfg.cat.parentHelp')}>
          <TreeSelect
            allowClear
            treeDefaultExpandAll
            placeholder={t('tkcfg.cat.topLevel')}
            treeData={parentData}
            data-testid="category-form-parent"
          />
        </Form.Item>
      )}
    </FormModal>
  );
}
