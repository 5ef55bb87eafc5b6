// An agenda (the neutral model a destination writes) as HTML, for the preview: headings, paragraphs,
// bullets and numbered items, to-dos as ☐/☑, quotes, callouts and dividers, nested as they will be.
// Text is escaped by JSX; a link is kept only when it is http(s).
import type { Child } from "hono/jsx";
import type { Agenda, Block, HeadingLevel, Inline, RichText } from "../domain/agenda";
import { httpUrl } from "../lib/http-url";

function safeHref(link: string | undefined): string | null {
  return link === undefined ? null : httpUrl(link);
}

function InlineRun(props: { inline: Inline }) {
  const { inline } = props;
  let node: Child = inline.text;
  const style = inline.style ?? {};
  if (style.code) node = <code>{node}</code>;
  if (style.bold) node = <strong>{node}</strong>;
  if (style.italic) node = <em>{node}</em>;
  if (style.strikethrough) node = <s>{node}</s>;
  if (style.underline) node = <u>{node}</u>;
  const href = inline.kind === "text" ? safeHref(inline.link) : null;
  if (href !== null)
    node = (
      <a href={href} rel="noreferrer">
        {node}
      </a>
    );
  if (inline.kind === "mention") node = <span class="mention">{node}</span>;
  return <>{node}</>;
}

function Text(props: { text: RichText }) {
  return (
    <>
      {props.text.map((inline) => (
        <InlineRun inline={inline} />
      ))}
    </>
  );
}

/** The page has its own h1 and the agenda's title is an h2, so the agenda's headings start at h3. */
function Heading(props: { level: HeadingLevel; text: RichText }) {
  const text = <Text text={props.text} />;
  if (props.level === 1) return <h3>{text}</h3>;
  if (props.level === 2) return <h4>{text}</h4>;
  return <h5>{text}</h5>;
}

type ListKind = "bullet" | "numbered" | "todo";

function isListItem(block: Block): block is Extract<Block, { kind: ListKind }> {
  return block.kind === "bullet" || block.kind === "numbered" || block.kind === "todo";
}

function ListItem(props: { block: Extract<Block, { kind: ListKind }> }) {
  const { block } = props;
  const nested = block.children.length > 0 ? <Blocks blocks={block.children} /> : null;
  if (block.kind === "todo") {
    return (
      <li class="todo">
        <span role="img" aria-label={block.checked ? "done" : "to do"}>
          {block.checked ? "☑" : "☐"}
        </span>{" "}
        <span class={block.checked ? "done" : undefined}>
          <Text text={block.text} />
        </span>
        {nested}
      </li>
    );
  }
  return (
    <li>
      <Text text={block.text} />
      {nested}
    </li>
  );
}

function Single(props: { block: Exclude<Block, { kind: ListKind }> }) {
  const { block } = props;
  switch (block.kind) {
    case "heading":
      return <Heading level={block.level} text={block.text} />;
    case "divider":
      return <hr />;
    case "paragraph":
    case "quote":
    case "callout": {
      const body = (
        <>
          <p>
            <Text text={block.text} />
          </p>
          {block.children.length > 0 ? <Blocks blocks={block.children} /> : null}
        </>
      );
      if (block.kind === "quote") return <blockquote>{body}</blockquote>;
      if (block.kind === "callout") return <div class="callout">{body}</div>;
      return body;
    }
  }
}

/** Blocks in order, consecutive list items of one kind gathered into one list. */
function Blocks(props: { blocks: readonly Block[] }) {
  const groups: Child[] = [];
  let index = 0;
  const blocks = props.blocks;
  while (index < blocks.length) {
    const block = blocks[index];
    if (block === undefined) break;
    if (isListItem(block)) {
      const kind = block.kind;
      const items: Extract<Block, { kind: ListKind }>[] = [];
      let next = blocks[index];
      while (next !== undefined && isListItem(next) && next.kind === kind) {
        items.push(next);
        index += 1;
        next = blocks[index];
      }
      const children = items.map((item) => <ListItem block={item} />);
      groups.push(kind === "numbered" ? <ol>{children}</ol> : <ul>{children}</ul>);
      continue;
    }
    groups.push(<Single block={block} />);
    index += 1;
  }
  return <>{groups}</>;
}

export function AgendaView(props: { agenda: Agenda }) {
  const { agenda } = props;
  return (
    <article class="agenda" aria-label="Agenda preview">
      <h2>{agenda.title}</h2>
      <Blocks blocks={agenda.intro} />
      {agenda.sections.map((section) => (
        <section>
          <Heading level={section.level} text={section.heading} />
          <Blocks blocks={section.blocks} />
        </section>
      ))}
    </article>
  );
}
