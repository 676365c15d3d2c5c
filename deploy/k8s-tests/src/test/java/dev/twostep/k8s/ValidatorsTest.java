package dev.twostep.k8s;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The schema checks catch what they are there for: a passing SchemaTest means something only if they do. */
class ValidatorsTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: example/demo:1
                      readinessProbe:
                        httpGet: {path: /q/health/ready, port: http}
            """;

    private static final String TOPIC = """
            apiVersion: kafka.strimzi.io/v1
            kind: KafkaTopic
            metadata:
              name: demo
              labels: {strimzi.io/cluster: demo}
            spec:
              partitions: 3
              replicas: 1
              config: {retention.ms: -1}
            """;

    @Test
    void aValidDeploymentAndTopicPass() {
        assertThat(KubernetesApiSchema.problems(one(DEPLOYMENT))).isEmpty();
        assertThat(CustomResourceSchemas.problems(one(TOPIC))).isEmpty();
    }

    @Test
    void aMisspelledFieldDeepInAPodTemplateIsRefused() {
        assertThat(KubernetesApiSchema.problems(one(DEPLOYMENT.replace("readinessProbe", "readynessProbe"))))
                .singleElement().asString().contains("readynessProbe");
    }

    @Test
    void aMissingRequiredFieldIsRefused() {
        String withoutSelector = DEPLOYMENT.replace("""
                  selector:
                    matchLabels: {app: demo}
                """, "");
        assertThat(KubernetesApiSchema.problems(one(withoutSelector))).singleElement().asString().contains("selector");
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        String textReplicas = DEPLOYMENT.replace("spec:\n  selector", "spec:\n  replicas: two\n  selector");
        assertThat(KubernetesApiSchema.problems(one(textReplicas))).isNotEmpty();
    }

    @Test
    void aKindWithoutASchemaIsRefused() {
        assertThat(KubernetesApiSchema.problems(one("""
                apiVersion: batch/v1
                kind: CronJob
                metadata: {name: demo}
                """))).singleElement().asString().contains("no Kubernetes 1.33 schema");
    }

    @Test
    void aCustomResourceFieldTheCrdDoesNotListIsRefused() {
        assertThat(CustomResourceSchemas.problems(one(TOPIC.replace("partitions: 3", "partition: 3"))))
                .anySatisfy(problem -> assertThat(problem).contains("partition"));
    }

    @Test
    void aCustomResourceValueOutsideItsRangeIsRefused() {
        assertThat(CustomResourceSchemas.problems(one(TOPIC.replace("partitions: 3", "partitions: 0")))).isNotEmpty();
        assertThat(CustomResourceSchemas.problems(one(TOPIC.replace("partitions: 3", "partitions: three")))).isNotEmpty();
    }

    @Test
    void aVersionTheCrdDoesNotServeHasNoSchema() {
        KubeObject beta = one(TOPIC.replace("kafka.strimzi.io/v1", "kafka.strimzi.io/v1beta2"));
        assertThat(CustomResourceSchemas.covers(beta)).isFalse();
    }

    @Test
    void freeFormOperatorConfigurationStaysOpen() {
        assertThat(CustomResourceSchemas.problems(one(TOPIC.replace("retention.ms: -1", "any.topic.setting: 1"))))
                .isEmpty();
    }

    private static KubeObject one(String yaml) {
        List<KubeObject> objects = Manifests.parse(yaml);
        assertThat(objects).hasSize(1);
        return objects.getFirst();
    }
}
