from services.scheduling.models import Base
from shared.alembic_env import run

run(Base.metadata)
