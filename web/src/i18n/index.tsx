import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import zhCN, { type MessageKey, type Messages } from './zh-CN';
import en from './en';

export type Lang = 'zh-CN' | 'en';
export const LANGS: Lang[] = ['zh-CN', 'en'];
export const DEFAULT_LANG: Lang = 'zh-CN';
const LANG_KEY = 'sb.lang';

export const dictionaries: Record<Lang, Messages> = { 'zh-CN': zhCN, en };
export type { MessageKey, Messages };

/** Translates a key; `lang` says which language it speaks (texts from the server are English). */
export type TFunc = ((key: MessageKey, vars?: Record<string, string | number>) => string) & { readonly lang?: Lang };

/** Replace `{name}` placeholders. */
export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

export function translator(lang: Lang): TFunc {
  const dict = dictionaries[lang];
  const t = (key: MessageKey, vars?: Record<string, string | number>) => format(dict[key] ?? zhCN[key] ?? key, vars);
  return Object.assign(t, { lang });
}

/** Look up a key that is only known at runtime (e.g. `error.<code>`); undefined when absent. */
export function hasKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

export function loadLang(): Lang {
  try {
    const v = localStorage.getItem(LANG_KEY);
    if (v === 'zh-CN' || v === 'en') return v;
  } catch {
    /* ignore */
  }
  return DEFAULT_LANG;
}

interface I18nValue {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: TFunc;
}

const I18nContext = createContext<I18nValue>({ lang: DEFAULT_LANG, setLang: () => {}, t: translator(DEFAULT_LANG) });

/** `initialLang` overrides the remembered language for this page (the chat widget's `data-lang`). */
export function I18nProvider({ children, initialLang }: { children: ReactNode; initialLang?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang ?? loadLang());
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(LANG_KEY, l);
    } catch {
      /* ignore */
    }
    document.documentElement.lang = l;
  }, []);
  const value = useMemo(() => ({ lang, setLang, t: translator(lang) }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}

export function useT(): TFunc {
  return useContext(I18nContext).t;
}
