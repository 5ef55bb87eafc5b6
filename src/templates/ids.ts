// Owns the ids of the shipped templates, apart from their bundled text so that tools which cannot load
// it (the set-up script) offer the same list the Worker accepts.

/** The shipped templates; `weekly` is the default. */
export const TEMPLATE_IDS = ["weekly", "employee-led", "three-key-areas", "past-future"] as const;

export type TemplateId = (typeof TEMPLATE_IDS)[number];
