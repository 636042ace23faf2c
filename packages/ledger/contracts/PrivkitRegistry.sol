// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title PrivKit integrity registry
/// @notice Records by id: an owner, a 32-byte public anchor (digest, encrypted-digest commitment or Merkle root),
/// a mutable data part (e.g. an envelope holding the encrypted digest) that the owner can delete, reader grants
/// with expiry, and a version that every change increments (optimistic concurrency).
/// @dev Everything on a public chain is public: read access control here is advisory (eth_call can claim any
/// sender); confidentiality comes from the data part being encrypted client-side. History is the event log.
contract PrivkitRegistry {
    struct Record {
        address owner; // slot 0: 20 bytes
        uint64 version; //          8 bytes
        bool deleted; //            1 byte
        bytes32 anchor; // slot 1
        bytes data; // slot 2 (+ data slots)
    }

    mapping(bytes32 => Record) private records;
    mapping(bytes32 => mapping(address => uint64)) private grants;

    /// @dev `key` = keccak256(bytes(id)); events carry the id string so subscribers can name the record.
    event RecordPut(bytes32 indexed key, string id, address indexed owner, uint64 version, bytes32 anchor, bytes32 dataHash);
    event ReaderGranted(bytes32 indexed key, string id, address indexed reader, uint64 expiresAt);
    event ReaderRevoked(bytes32 indexed key, string id, address indexed reader);
    event DataDeleted(bytes32 indexed key, string id, uint64 version, bytes32 anchor);

    error NotFound(bytes32 id);
    error AccessDenied(bytes32 id, address caller);
    error Conflict(bytes32 id, uint64 expected, uint64 actual);
    error InvalidInput();

    uint256 public constant MAX_DATA = 16384;

    function _key(string calldata id) private pure returns (bytes32) {
        uint256 n = bytes(id).length;
        if (n == 0 || n > 128) revert InvalidInput();
        return keccak256(bytes(id));
    }

    function _owned(bytes32 id) private view returns (Record storage r) {
        r = records[id];
        if (r.owner == address(0)) revert NotFound(id);
        if (r.owner != msg.sender) revert AccessDenied(id, msg.sender);
    }

    /// @notice Creates a record (expectedVersion 0) or updates one the sender owns.
    /// @param expectedVersion the version the caller last saw (0 to create), or type(uint64).max to skip the check
    function put(string calldata idString, bytes32 anchor, bytes calldata data, uint64 expectedVersion)
        external
        returns (uint64)
    {
        if (data.length > MAX_DATA) revert InvalidInput();
        bytes32 id = _key(idString);
        Record storage r = records[id];
        if (r.owner == address(0)) {
            if (expectedVersion != 0 && expectedVersion != type(uint64).max) revert Conflict(id, expectedVersion, 0);
            r.owner = msg.sender;
        } else {
            if (r.owner != msg.sender) revert AccessDenied(id, msg.sender);
            if (expectedVersion != type(uint64).max && expectedVersion != r.version) {
                revert Conflict(id, expectedVersion, r.version);
            }
        }
        uint64 v = r.version + 1;
        r.version = v;
        r.deleted = false;
        r.anchor = anchor;
        if (data.length != 0 || r.data.length != 0) r.data = data;
        emit RecordPut(id, idString, msg.sender, v, anchor, keccak256(data));
        return v;
    }

    /// @notice Lets `reader` read until `expiresAt` (Unix seconds, block time). Owner only.
    function grant(string calldata idString, address reader, uint64 expiresAt) external {
        bytes32 id = _key(idString);
        _owned(id);
        if (reader == address(0) || expiresAt <= block.timestamp) revert InvalidInput();
        grants[id][reader] = expiresAt;
        emit ReaderGranted(id, idString, reader, expiresAt);
    }

    /// @notice Withdraws a grant. Owner only.
    function revoke(string calldata idString, address reader) external {
        bytes32 id = _key(idString);
        _owned(id);
        delete grants[id][reader];
        emit ReaderRevoked(id, idString, reader);
    }

    /// @notice Deletes the data part; anchor and history remain. Owner only.
    function deleteData(string calldata idString) external returns (uint64) {
        bytes32 id = _key(idString);
        Record storage r = _owned(id);
        delete r.data;
        r.deleted = true;
        uint64 v = r.version + 1;
        r.version = v;
        emit DataDeleted(id, idString, v, r.anchor);
        return v;
    }

    /// @notice The whole record, for the owner or a reader with an unexpired grant.
    function get(string calldata idString)
        external
        view
        returns (address owner, uint64 version, bool deleted, bytes32 anchor, bytes memory data)
    {
        bytes32 id = _key(idString);
        Record storage r = records[id];
        if (r.owner == address(0)) revert NotFound(id);
        if (r.owner != msg.sender && grants[id][msg.sender] <= block.timestamp) revert AccessDenied(id, msg.sender);
        return (r.owner, r.version, r.deleted, r.anchor, r.data);
    }

    /// @notice The public part of a record.
    function getAnchor(string calldata idString)
        external
        view
        returns (address owner, uint64 version, bool deleted, bytes32 anchor)
    {
        bytes32 id = _key(idString);
        Record storage r = records[id];
        if (r.owner == address(0)) revert NotFound(id);
        return (r.owner, r.version, r.deleted, r.anchor);
    }

    /// @notice Expiry of a reader's grant (0 = none).
    function grantExpiry(string calldata idString, address reader) external view returns (uint64) {
        return grants[_key(idString)][reader];
    }
}
