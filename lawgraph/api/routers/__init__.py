"""One router per resource. Each imports only the library, ``deps``, ``params`` and ``rendering``;
none imports another router or the application module."""
