// CSS files are bundled as text (scripts/build.mjs: loader '.css': 'text') and adopted as
// constructable stylesheets at run time.
declare module '*.css' {
  const text: string;
  export default text;
}
