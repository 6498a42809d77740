declare module 'virtual:cell-types' {
  /** Absolute path → content of every file the cells' language service reads. */
  const files: Record<string, string>;
  export default files;
}
