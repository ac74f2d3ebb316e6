"""ops.cache: Django's Redis backend with one redis-py client per connection pool."""

from ops.cache import RedisCache


def test_every_operation_of_a_process_uses_one_client_per_pool():
    cache = RedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    client = cache._cache

    first = client.get_client("a")
    assert client.get_client("b") is first
    assert client.get_client("c", write=True) is first  # one server: one pool
    assert first.connection_pool is client._get_connection_pool(False)
