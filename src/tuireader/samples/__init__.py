"""The sample library: five real scrapes of one June 2023 story, byte for byte the repository's
`articles/` (a test keeps the two equal). Shipped in the wheel so that an installed reader opens
on something; `Library` seeds the user's data folder from here on first run."""
