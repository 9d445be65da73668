// Redirect allowlists written as a flag accumulated over a Set of prefixes
// (Juice Shop's shape), used from another module through a namespace import.
export const redirectAllowlist = new Set([
  "https://github.com/example/shop",
  "https://blockchain.info/address/",
  "http://shop.example.org/",
]);

// Every prefix ends its host with "/": the start of the URL is pinned.
export const isRedirectAllowed = (url: string): boolean => {
  let allowed = false;
  for (const allowedUrl of redirectAllowlist) {
    allowed = allowed || url.startsWith(allowedUrl);
  }
  return allowed;
};

// includes() anywhere in the URL: https://evil.example/?https://github.com/...
export const isRedirectMentioned = (url: string): boolean => {
  let allowed = false;
  for (const allowedUrl of redirectAllowlist) {
    allowed = allowed || url.includes(allowedUrl);
  }
  return allowed;
};

// The flag is also set from something that is no check: not a proof.
export const isRedirectLoose = (url: string, force: boolean): boolean => {
  let allowed = false;
  for (const allowedUrl of redirectAllowlist) {
    allowed = allowed || url.startsWith(allowedUrl);
  }
  if (force) allowed = true;
  return allowed;
};
