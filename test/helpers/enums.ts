// The enums live once, in the SDK; tests import them from here so that the mirror is never duplicated.
export * from "../../src/enums";
