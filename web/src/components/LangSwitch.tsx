import { Select } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { LANGS, useI18n, type Lang } from '../i18n';

/** Language selector (header and login page). Options carry their own language's name. */
export default function LangSwitch({ style }: { style?: React.CSSProperties }) {
  const { lang, setLang, t } = useI18n();
  return (
    <span data-testid="lang-switch" style={{ display: 'inline-flex', alignItems: 'center', gap: 6, ...style }}>
      <GlobalOutlined aria-label={t('lang.label')} />
      <Select<Lang>
        size="small"
        variant="borderless"
        value={lang}
        onChange={setLang}
        popupMatchSelectWidth={false}
        classNames={{ popup: { root: 'lang-switch-popup' } }}
        options={LANGS.map((l) => ({ value: l, label: t(`lang.${l}`), title: l }))}
        aria-label={t('lang.label')}
        style={{ minWidth: 96 }}
      />
    </span>
  );
}
