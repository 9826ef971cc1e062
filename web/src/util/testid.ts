/** `data-testid` for props objects that are not JSX (e.g. a Modal's okButtonProps). */
export const tid = (id: string) => ({ 'data-testid': id }) as Record<string, string>;
