// fabric-shim's internal modules have no type declarations; the harness types what it uses at the call sites.
declare module 'fabric-shim/lib/handler.js';
declare module 'fabric-shim/lib/contract-spi/chaincodefromcontract.js';
