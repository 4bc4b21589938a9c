/** The import path everyone uses; the settings live in src/config/, one file per concern. */
export * from "./config/index.js";
