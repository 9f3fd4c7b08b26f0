"""dingdan (订单): order management for merchants who sell through chats and group-buys."""

__version__ = "0.1.0"
