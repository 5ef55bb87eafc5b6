// The one page layout of the console: a skip link, the navigation (with sign-out), one <main> and one
// <h1>, the flash message of a redirect after a POST, and the one shape of a table (a caption and
// column headers, so screen readers announce each cell with its column). Server-rendered; no script
// anywhere.
import type { Child } from "hono/jsx";
import type { Viewer } from "./context";
import type { Flash } from "./flash";
import { STYLE_HREF } from "./style";

const NAV = [
  { href: "/console", label: "Pairs" },
  { href: "/console/failures", label: "Failures" },
  { href: "/console/deliveries", label: "Deliveries" },
  { href: "/console/dead-letters", label: "Dead letters" },
  { href: "/console/rollups", label: "Roll-ups" },
  { href: "/console/doctor", label: "Doctor" },
] as const;

export interface PageProps {
  title: string;
  /** The nav entry to mark as the current page. */
  current?: string;
  viewer?: Viewer | null;
  flash?: Flash | null;
  children?: Child;
}

export function CsrfField(props: { viewer: Viewer }) {
  return <input type="hidden" name="_csrf" value={props.viewer.csrf} />;
}

function FlashMessage(props: { flash: Flash | null | undefined }) {
  const flash = props.flash;
  if (!flash) return null;
  return (
    <p role={flash.role} class={flash.role === "status" ? "flash ok" : "flash bad"}>
      {flash.text}
    </p>
  );
}

/**
 * A table with its caption and column headers; the rows (each led by a `<th scope="row">`) are
 * the children.
 */
export function Table(props: { caption: string; columns: readonly string[]; children?: Child }) {
  return (
    <table>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          {props.columns.map((column) => (
            <th scope="col">{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

export function Page(props: PageProps) {
  const viewer = props.viewer ?? null;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${props.title} · 1:1 agendas console`}</title>
        <link rel="stylesheet" href={STYLE_HREF} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          <nav aria-label="Console">
            <strong>1:1 agendas</strong>
            {viewer ? (
              <ul>
                {NAV.map((entry) => (
                  <li>
                    <a href={entry.href} aria-current={props.current === entry.href ? "page" : undefined}>
                      {entry.label}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
            {viewer?.via === "token" ? (
              <form method="post" action="/console/sign-out">
                <CsrfField viewer={viewer} />
                <button type="submit">Sign out</button>
              </form>
            ) : viewer?.email ? (
              <span class="muted">{viewer.email}</span>
            ) : null}
          </nav>
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          <FlashMessage flash={props.flash} />
          {props.children}
        </main>
      </body>
    </html>
  );
}
