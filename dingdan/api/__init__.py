"""Pieces every app's API router shares: the one error shape (`errors`), field types
(`fields`) and pagination. Nothing here imports an app; the API itself, with every router
mounted, is `dingdan.api_v1`."""
