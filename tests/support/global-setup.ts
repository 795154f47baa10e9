// Filled by the local cloud harness: starts one shared local cloud for the whole run.
export default function setup(): void {}
