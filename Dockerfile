# The qshard image: the CLI (schedulers, migration loop, webhook, ratio controller) and the node agent.
# Takes the jars `mvn -B -DskipTests package` built; nothing is compiled in the image:
#   mvn -B -DskipTests package && docker build -t qshard/qshard:0.1.0 .
# The manifests run `qshard <subcommand>` through the entrypoint; the agent DaemonSet and the webhook override the
# command (their own JVM flags). JVM defaults as bin/qshard: C1 only and serial GC, small and quick to start.
FROM eclipse-temurin:17-jre
COPY qshard-cli/target/qshard.jar /opt/qshard/qshard.jar
COPY node-agent/target/qshard-agent.jar /opt/qshard/qshard-agent.jar
COPY manifests/qshard.yaml /etc/qshard/qshard.yaml
# Non-root by default; the agent DaemonSet runs privileged (it writes the kubepods cgroups).
USER 65532:65532
ENTRYPOINT ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", "/opt/qshard/qshard.jar"]
CMD ["--help"]
