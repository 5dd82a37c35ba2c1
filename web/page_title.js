// Page titles end with the account's name (CAMPFIRE.md 2.17: renaming the account renames every
// page), "Hearth" until it is known.
export function pageTitle(store, part = "") {
  const name = store.account?.name || "Hearth";
  return part ? `${part} · ${name}` : name;
}
