// Markdown templates are bundled as text modules (see the `rules` in wrangler.toml).
declare module "*.md" {
  const text: string;
  export default text;
}

// Vite's raw imports, used by tests to read example files as text.
declare module "*?raw" {
  const text: string;
  export default text;
}
