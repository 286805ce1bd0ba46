/** The weak ETag of a user's or a group's version (its `meta.version`, and what If-Match compares with). */
export function etag(version: number): string {
  return `W/"${version}"`;
}
