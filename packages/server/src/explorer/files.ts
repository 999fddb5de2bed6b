/** The explorer's built files, as they sit in `dist/explorer` of the installed package. */
export const EXPLORER_FILES = { page: 'index.html', script: 'explorer.js' } as const;
