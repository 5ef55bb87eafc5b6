// Markdown templates are bundled as text modules (see the `rules` in wrangler.toml).
declare module "*.md" {
  const text: string;
  export default text;
}
