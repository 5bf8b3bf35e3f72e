/** A small gold-on-blue "P" so browsers stop asking for /favicon.ico. */
export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">
<rect width="32" height="32" rx="6" fill="#1d3557"/>
<path d="M11 25V7h7a6 6 0 0 1 0 12h-3v6z M15 11v4h3a2 2 0 0 0 0-4z" fill="#f4c95d"/>
</svg>
`;
