import { Fragment } from 'react';

/**
 * A path that wraps after its separators rather than in the middle of a folder name
 * (never inside a URL's "scheme://", so "http://host" stays together).
 */
export function BreakablePath({ path }: { path: string }) {
  const parts = path.split(/(?<=[/\\])(?<!:\/\/?)/);
  return (
    <>
      {parts.map((part, index) => (
        <Fragment key={index}>
          {part}
          {index < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </>
  );
}
